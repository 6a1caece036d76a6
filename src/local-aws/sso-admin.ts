import type { Operation } from './context.ts';

/** SSO Admin operations by name (JSON 1.1, target prefix `SWBExternalService`). */
export const ssoAdminOperations: Record<
  string,
  Operation<Record<string, unknown>, Record<string, unknown>>
> = {};
