import type { Selectable } from 'kysely';

/** `rate_limits`: fixed-window counters shared by all replicas (key e.g. `login:email:alice@x.com`). */
export interface RateLimitsTable {
  bucket: string;
  window_started_at: string;
  hits: number;
}
export type RateLimitRow = Selectable<RateLimitsTable>;
