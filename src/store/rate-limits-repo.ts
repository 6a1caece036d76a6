import { sql } from 'kysely';
import type { DbExecutor } from './db.ts';

/** The outcome of counting one hit against a limit. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Hits counted in the current window, including this one. */
  readonly hits: number;
  /** Whole seconds until the window resets (for `Retry-After`); at least 1. */
  readonly retryAfterSeconds: number;
}

/** Fixed-window rate limiting shared by every replica through the database. */
export interface RateLimiter {
  /**
   * Counts one hit on `bucket` (e.g. `login:ip:203.0.113.9`) and says whether it is within `limit` hits per
   * `windowMs`. Atomic: concurrent hits from any replica are all counted.
   */
  hit(bucket: string, options: { limit: number; windowMs: number; now: Date }): Promise<RateLimitDecision>;
  /** Removes buckets whose window ended before `now - maxWindowMs`; returns how many. */
  prune(now: Date, maxWindowMs: number): Promise<number>;
}

/** A `RateLimiter` over the `rate_limits` table. */
export function createRateLimiter(db: DbExecutor): RateLimiter {
  return {
    async hit(bucket, { limit, windowMs, now }) {
      const nowText = now.toISOString();
      const windowOver = sql<boolean>`${sql.ref('rate_limits.window_started_at')} <= ${new Date(now.getTime() - windowMs).toISOString()}`;
      const row = await db
        .insertInto('rate_limits')
        .values({ bucket, window_started_at: nowText, hits: 1 })
        .onConflict((oc) =>
          oc.column('bucket').doUpdateSet({
            // Both right-hand sides read the old row, so a finished window restarts at 1.
            hits: sql<number>`case when ${windowOver} then 1 else ${sql.ref('rate_limits.hits')} + 1 end`,
            window_started_at: sql<string>`case when ${windowOver} then ${nowText} else ${sql.ref('rate_limits.window_started_at')} end`,
          }),
        )
        .returning(['hits', 'window_started_at'])
        .executeTakeFirstOrThrow();
      const resetAt = new Date(row.window_started_at).getTime() + windowMs;
      const hits = Number(row.hits);
      return {
        allowed: hits <= limit,
        hits,
        retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)),
      };
    },
    async prune(now, maxWindowMs) {
      const r = await db
        .deleteFrom('rate_limits')
        .where('window_started_at', '<=', new Date(now.getTime() - maxWindowMs).toISOString())
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
