import type { Insertable, Selectable } from 'kysely';

/** `grants`: one per (approved request, account) (docs/grants.md). Timestamps are ISO-8601 UTC text. */
export interface GrantsTable {
  id: string;
  request_id: string;
  account_id: string;
  requester_id: string;
  /** JSON array of user ids. */
  approver_ids: string;
  revision: number;
  mode: string;
  status: string;
  /** The approved IAM policy, JSON text (as approved; time bounds are added when provisioning). */
  policy: string;
  not_before: string;
  not_after: string;
  role_name: string;
  role_arn: string | null;
  activated_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** JSON array of AWS regions (`aws:RequestedRegion`); null = any (migration 07). */
  regions: string | null;
}
export type GrantRow = Selectable<GrantsTable>;
export type NewGrantRow = Insertable<GrantsTable>;
