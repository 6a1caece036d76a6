import type { IamOperation } from './common.ts';
import { roleOperations } from './roles.ts';

/** Every emulated IAM operation by action name. */
export const iamOperations: Record<string, IamOperation> = {
  ...roleOperations,
};
