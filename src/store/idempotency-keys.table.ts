import type { Insertable, Selectable } from 'kysely';

/** `idempotency_keys`: the first response to a POST carrying `Idempotency-Key`, replayed on retries. */
export interface IdempotencyKeysTable {
  /** Who sent the key (a user id), so two callers' keys never collide. */
  scope: string;
  idem_key: string;
  /** SHA-256 hex of method + path + body: a replay with a different body is a conflict, not a replay. */
  request_hash: string;
  /** Null while the first request is still running. */
  status_code: number | null;
  response_body: string | null;
  created_at: string;
  expires_at: string;
}
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
export type NewIdempotencyKeyRow = Insertable<IdempotencyKeysTable>;
