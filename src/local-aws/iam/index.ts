import type { IamOperation } from './common.ts';
import { rolePolicyOperations } from './role-policies.ts';
import { roleOperations } from './roles.ts';
import { tagAndPolicyOperations } from './tags-and-policies.ts';

/** Every emulated IAM operation by action name. */
export const iamOperations: Record<string, IamOperation> = {
  ...roleOperations,
  ...rolePolicyOperations,
  ...tagAndPolicyOperations,
};
