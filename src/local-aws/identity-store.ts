import type { Operation } from './context.ts';

/** Identity Store operations by name (JSON 1.1, target prefix `AWSIdentityStore`). */
export const identityStoreOperations: Record<
  string,
  Operation<Record<string, unknown>, Record<string, unknown>>
> = {};
