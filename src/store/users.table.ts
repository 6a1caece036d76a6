import type { Insertable, Selectable, Updateable } from 'kysely';

/** `users`: one row per principal allowed to use iam-jit. Flags are 0/1 integers on both dialects. */
export interface UsersTable {
  /** The principal: `email:alice@x.com` or `iam:arn:aws:iam::111122223333:role/Devops`. */
  id: string;
  display_name: string;
  is_requester: number;
  is_approver: number;
  is_admin: number;
  enabled: number;
  /** ISO-8601 UTC text (`Date#toISOString`), which sorts and compares correctly on both dialects. */
  created_at: string;
  updated_at: string;
}
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowUpdate = Updateable<UsersTable>;
