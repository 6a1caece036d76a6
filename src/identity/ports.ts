import type { AuditLog } from '../audit/ports.ts';
import type { Role, User } from './user.ts';

/** Fields of a user that can change after creation. */
export interface UserPatch {
  displayName?: string;
  roles?: readonly Role[];
  enabled?: boolean;
}

/** Filters and paging for `UserRepo.list`. */
export interface UserListOptions {
  limit?: number;
  after?: string;
  role?: Role;
  enabledOnly?: boolean;
}

/** Persistence of users. Implemented in store/; every method is one statement unless noted. */
export interface UserRepo {
  get(id: string): Promise<User | undefined>;
  /**
   * Users ordered by id, at most `limit` (default 100), starting after `after` (keyset pagination); optionally only
   * holders of `role` (exactly that role: admins are not returned for `approver`) and only enabled users.
   */
  list(options?: UserListOptions): Promise<User[]>;
  /** Inserts; returns false (and changes nothing) when the id exists. */
  insert(user: User): Promise<boolean>;
  /** Applies `patch` and sets `updatedAt`; returns the updated user, or undefined when absent. */
  update(id: string, patch: UserPatch, updatedAt: Date): Promise<User | undefined>;
  /** Deletes the user and (by cascade) their tokens, sessions and login links; false when absent. */
  delete(id: string): Promise<boolean>;
  /**
   * Ids of enabled admins. Inside a transaction, locks those rows (Postgres `FOR UPDATE`; SQLite has one writer)
   * so two admins demoting each other concurrently cannot both succeed.
   */
  lockActiveAdminIds(): Promise<string[]>;
}

/** A stored API token: never the token itself. */
export interface ApiTokenRecord {
  /** SHA-256 hex of the full `iamjit_…` token; also the token's public id. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** Persistence of API tokens. */
export interface ApiTokenRepo {
  /**
   * Inserts the token unless its user already holds `maxPerUser` tokens; returns false (nothing inserted) then.
   * Exact under concurrency: the owner's row is locked (Postgres) or the single writer serialises (SQLite).
   */
  insertWithinCap(token: ApiTokenRecord, maxPerUser: number): Promise<boolean>;
  countForUser(userId: string): Promise<number>;
  /** The user's tokens, newest first. */
  listForUser(userId: string): Promise<ApiTokenRecord[]>;
  /** The token and its owner, fetched together so a disabled or deleted owner is seen at once. */
  findWithUser(tokenHash: string): Promise<{ token: ApiTokenRecord; user: User } | undefined>;
  /** Sets `lastUsedAt = at` unless it is already newer than `at - minIntervalMs` (bounds writes per request). */
  touch(tokenHash: string, at: Date, minIntervalMs: number): Promise<void>;
  /** Deletes the token when it belongs to `userId` (any user when `userId` is undefined); false when nothing matched. */
  delete(tokenHash: string, userId?: string): Promise<boolean>;
}

/** A stored session: never the cookie value itself. */
export interface SessionRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Persistence of browser sessions. */
export interface SessionRepo {
  insert(session: SessionRecord): Promise<void>;
  /** The session and its owner when it exists and `expiresAt > now`. */
  findActiveWithUser(
    tokenHash: string,
    now: Date,
  ): Promise<{ session: SessionRecord; user: User } | undefined>;
  /** Ends one session; false when there was none. */
  deleteByHash(tokenHash: string): Promise<boolean>;
  /** Ends one session and returns it (expired or not); undefined when there was none. */
  takeByHash(tokenHash: string): Promise<SessionRecord | undefined>;
  /** Ends every session of a user (on disable, role change or "log out everywhere"); returns how many. */
  deleteForUser(userId: string): Promise<number>;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** A stored login link: never the token itself. */
export interface MagicLinkRecord {
  readonly id: string;
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
}

/** Persistence of single-use login links. */
export interface MagicLinkRepo {
  insert(link: MagicLinkRecord): Promise<void>;
  /**
   * Marks the link consumed at `now` when it is unconsumed and unexpired, in one conditional statement, and returns
   * its user id; undefined otherwise. Of two concurrent calls exactly one gets the user id.
   */
  consume(tokenHash: string, now: Date): Promise<string | undefined>;
  /** The stored link with this hash (used, expired or not), or undefined: tells why a login failed. */
  findByHash(tokenHash: string): Promise<MagicLinkRecord | undefined>;
  /** Removes links expired or consumed before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** Runs `work` in one transaction over repos bound to it; commits when it resolves, rolls back when it throws. */
export type InTransaction<R> = <T>(work: (repos: R) => Promise<T>) => Promise<T>;

/** Every identity repo, as the composition root builds them. */
export interface IdentityRepos {
  users: UserRepo;
  tokens: ApiTokenRepo;
  sessions: SessionRepo;
  magicLinks: MagicLinkRepo;
}

/** The identity repos bound to one transaction, plus the audit log appending in it (call `audit.append` last). */
export interface IdentityTxRepos extends IdentityRepos {
  audit: AuditLog;
}
