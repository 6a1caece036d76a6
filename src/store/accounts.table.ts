import type { Insertable, Selectable } from 'kysely';

/** `accounts`: destination AWS accounts. Lists are JSON text; null means "not restricted". */
export interface AccountsTable {
  /** 12-digit AWS account id. */
  id: string;
  name: string;
  environment: string;
  provisioning_mode: string;
  spoke_role_arn: string | null;
  external_id: string | null;
  required_approvals: number;
  max_duration_hours: number | null;
  /** JSON array of service prefixes, or null for any service. */
  allowed_services: string | null;
  /** Admin-chosen Identity Center permission set ARN (identity_center only), or null for per-grant sets. */
  permission_set_arn: string | null;
  created_at: string;
  updated_at: string;
}
export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;

/** `account_approvers`: who may approve for an account (user ids; the users need not exist yet). */
export interface AccountApproversTable {
  account_id: string;
  user_id: string;
}
