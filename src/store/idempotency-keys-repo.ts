import type { DbExecutor } from './db.ts';

/** What to do with a request carrying an `Idempotency-Key`. */
export type IdempotencyClaim =
  | { readonly state: 'new' }
  | { readonly state: 'in_progress' }
  | { readonly state: 'mismatch' }
  | { readonly state: 'done'; readonly statusCode: number; readonly responseBody: string };

/** Records the first response per (scope, key) so a retried POST gets the same answer. */
export interface IdempotencyStore {
  /**
   * Claims the key for this request. `new`: run it and call `complete` (or `release` on failure). `done`: replay the
   * stored response. `in_progress`: the first request is still running (answer 409). `mismatch`: the key was used
   * with a different request (answer 422). An expired key is treated as never seen.
   */
  claim(input: {
    scope: string;
    key: string;
    requestHash: string;
    now: Date;
    ttlMs: number;
  }): Promise<IdempotencyClaim>;
  /** Stores the response of a claimed key. */
  complete(input: { scope: string; key: string; statusCode: number; responseBody: string }): Promise<void>;
  /** Forgets a claimed key whose request failed, so a retry runs again. */
  release(scope: string, key: string): Promise<void>;
  /** Removes expired keys; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** An `IdempotencyStore` over the `idempotency_keys` table. */
export function createIdempotencyStore(db: DbExecutor): IdempotencyStore {
  const store: IdempotencyStore = {
    async claim({ scope, key, requestHash, now, ttlMs }) {
      // Two rounds at most: the second follows the removal of an expired row.
      for (let round = 0; round < 2; round++) {
        const inserted = await db
          .insertInto('idempotency_keys')
          .values({
            scope,
            idem_key: key,
            request_hash: requestHash,
            status_code: null,
            response_body: null,
            created_at: now.toISOString(),
            expires_at: new Date(now.getTime() + ttlMs).toISOString(),
          })
          .onConflict((oc) => oc.columns(['scope', 'idem_key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { state: 'new' };
        const row = await db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('scope', '=', scope)
          .where('idem_key', '=', key)
          .executeTakeFirst();
        if (row === undefined) continue; // released or pruned meanwhile
        if (row.expires_at <= now.toISOString()) {
          await db
            .deleteFrom('idempotency_keys')
            .where('scope', '=', scope)
            .where('idem_key', '=', key)
            .where('expires_at', '=', row.expires_at)
            .execute();
          continue;
        }
        if (row.request_hash !== requestHash) return { state: 'mismatch' };
        if (row.status_code === null || row.response_body === null) return { state: 'in_progress' };
        return { state: 'done', statusCode: row.status_code, responseBody: row.response_body };
      }
      return { state: 'in_progress' };
    },
    async complete({ scope, key, statusCode, responseBody }) {
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: statusCode, response_body: responseBody })
        .where('scope', '=', scope)
        .where('idem_key', '=', key)
        .execute();
    },
    async release(scope, key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', scope)
        .where('idem_key', '=', key)
        .where('status_code', 'is', null)
        .execute();
    },
    async deleteExpired(now) {
      const r = await db
        .deleteFrom('idempotency_keys')
        .where('expires_at', '<=', now.toISOString())
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
  return store;
}
