import type { EnqueueResult, JobRecord, NewJob } from './job.ts';

/** Which job to act on: its id, or its dedupe key. */
export type JobRef = { readonly id: string } | { readonly dedupeKey: string };

/**
 * What domain services use to schedule work. Implemented in store/ over a connection or an open transaction: bound to
 * the caller's transaction, the job commits (or rolls back) together with the state change that asked for it.
 */
export interface JobQueue {
  /** Inserts the job; a taken `dedupeKey` is a no-op reported as `created: false`. Throws Error on a non-JSON payload. */
  enqueue(job: NewJob): Promise<EnqueueResult>;
  /** Deletes the job if it is `pending` (its dedupe key becomes free); false when absent, running or finished. */
  cancel(ref: JobRef): Promise<boolean>;
  /** Moves a `pending` job's due time to `runAt`; false when absent, running or finished. */
  reschedule(ref: JobRef, runAt: Date): Promise<boolean>;
  get(ref: JobRef): Promise<JobRecord | undefined>;
}

/** A claim's parameters. */
export interface ClaimOptions {
  /** Only these job types (the ones this runner has handlers for). */
  readonly types: readonly string[];
  readonly owner: string;
  readonly now: Date;
  /** The lease ends at `now + leaseMs`. */
  readonly leaseMs: number;
  /**
   * Only jobs due by this instant (`run_at`, or an expired lease, at or before it); default `now`. An earlier instant
   * claims only overdue jobs.
   */
  readonly dueBy?: Date;
  readonly limit: number;
}

/** How a failed run ends: back to `pending` at `retryAt`, or `dead`. */
export type FailureOutcome = { readonly retryAt: Date } | { readonly dead: true };

/**
 * What the runner needs from the database. Every write that finishes a run is conditional on the caller still holding
 * the lease (`status = 'running' and lease_owner = owner`) and returns false when it does not, so a worker whose lease
 * expired cannot overwrite the outcome of the worker that took the job over.
 */
export interface JobStore {
  /**
   * Atomically leases up to `limit` due jobs of `types`, earliest `run_at` first: `pending` jobs with
   * `run_at <= now`, and `running` jobs whose lease expired (their worker died). Each claimed job gets
   * `status = 'running'`, the lease, and `attempts + 1`. Two concurrent claims never return the same job.
   */
  claim(options: ClaimOptions): Promise<JobRecord[]>;
  /** The earliest instant a job of `types` becomes claimable (a pending `run_at` or a lease expiry), if any. */
  nextDueAt(types: readonly string[]): Promise<Date | undefined>;
  /** Extends a held lease to `until`; false when the lease was lost. */
  renewLease(id: string, owner: string, until: Date, now: Date): Promise<boolean>;
  /** Marks a leased job `succeeded`. */
  complete(id: string, owner: string, now: Date): Promise<boolean>;
  /** Records a failed run: retry at `retryAt` (`pending`) or `dead`, with `error` as `last_error`. */
  fail(id: string, owner: string, error: string, outcome: FailureOutcome, now: Date): Promise<boolean>;
  /** Gives a leased job back unrun: `pending` at `now`, the attempt not counted (graceful stop). */
  release(id: string, owner: string, now: Date): Promise<boolean>;
}
