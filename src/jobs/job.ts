/** Lifecycle of a job row: `pending` → `running` (leased) → `succeeded`, or back to `pending` to retry, or `dead`. */
export const JOB_STATUSES = ['pending', 'running', 'succeeded', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Default number of runs before a failing job is dead-lettered (the first run counts). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** A job to enqueue. The payload must be JSON-serialisable; the handler registered for `type` validates it. */
export interface NewJob {
  readonly type: string;
  readonly payload: unknown;
  /** When the job becomes due (default: now). */
  readonly runAt?: Date;
  /**
   * At most one job per key ever exists (until `cancel` deletes it): enqueueing a taken key is a no-op, whatever the
   * status of the existing job. E.g. `expire:grt_…` gives one expiry job per grant.
   */
  readonly dedupeKey?: string;
  /** Runs before dead-lettering, at least 1 (default `DEFAULT_MAX_ATTEMPTS`). */
  readonly maxAttempts?: number;
}

/** A stored job as the scheduler sees it. `payload` is the parsed JSON, not yet validated against any schema. */
export interface JobRecord {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly runAt: Date;
  /** Runs started so far, including the one in progress when `status` is `running`. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly status: JobStatus;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly lastError: string | null;
  readonly dedupeKey: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What `enqueue` did: `created` false means the dedupe key was taken and nothing changed (`id` is the existing job). */
export interface EnqueueResult {
  readonly id: string;
  readonly created: boolean;
}

/** Exponential backoff settings, in milliseconds. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay (default 1 s). */
  readonly baseMs?: number;
  /** Largest ceiling any retry may reach (default 1 h). */
  readonly capMs?: number;
}

/**
 * The delay before retrying after the `attempt`-th failed run (1-based), with "full jitter": a uniform draw from
 * [0, min(capMs, baseMs × 2^(attempt−1))). `random` returns a number in [0, 1) like `Math.random`. Never negative,
 * never above `capMs`. Full jitter spreads a burst of failures (e.g. AWS throttling 1,000 expiries at once)
 * instead of retrying them in lockstep.
 */
export function backoffDelayMs(
  attempt: number,
  { baseMs = 1000, capMs = 3_600_000 }: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new Error(`backoffDelayMs: invalid attempt ${attempt}`);
  if (!(baseMs > 0) || !(capMs >= baseMs))
    throw new Error(`backoffDelayMs: invalid base ${baseMs} / cap ${capMs}`);
  // 2^(attempt−1) overflows to Infinity for huge attempts; min() keeps the ceiling finite.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 1024));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * ceiling);
}

/** The error text stored in `last_error`: the message (and code, when present), capped at 2,000 characters. */
export function describeJobError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? String(error));
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
