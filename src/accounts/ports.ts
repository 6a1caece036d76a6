import type { AuditLog } from '../audit/ports.ts';
import type { Account } from './account.ts';

/** Persistence of destination accounts. Implemented in store/. */
export interface AccountRepo {
  get(id: string): Promise<Account | undefined>;
  /** Several accounts by id, in no particular order; missing ids are simply absent. */
  getMany(ids: readonly string[]): Promise<Account[]>;
  /** Accounts ordered by id, at most `limit` (default 100), after `after` (keyset pagination). */
  list(options?: { limit?: number; after?: string }): Promise<Account[]>;
  /** Ids of the accounts listing `userId` as an approver. */
  idsApprovedBy(userId: string): Promise<string[]>;
  /** Inserts; false (nothing changed) when the id exists. */
  insert(account: Account): Promise<boolean>;
  /** Replaces every field but id and createdAt; false when absent. */
  replace(account: Account): Promise<boolean>;
  /** Deletes; false when absent. Throws Error from the database when requests still reference it. */
  delete(id: string): Promise<boolean>;
  /** True when any request targets the account. */
  isReferenced(id: string): Promise<boolean>;
  /** True when the account has a grant that is `pending`, `active` or `revoking`. */
  hasLiveGrants(id: string): Promise<boolean>;
}

/** Runs `work` in one transaction over an account repo and the audit log bound to it. */
export type AccountTransaction = <T>(
  work: (repos: { accounts: AccountRepo; audit: AuditLog }) => Promise<T>,
) => Promise<T>;
