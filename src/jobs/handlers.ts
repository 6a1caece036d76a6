import type { z } from 'zod';
import type { BackoffOptions, JobRecord, NewJob } from './job.ts';

/** What a handler receives besides its payload. */
export interface JobContext {
  readonly job: JobRecord;
  /** 1 on the first run. */
  readonly attempt: number;
  /** Aborted when the lease is lost or the runner stops past its grace period: stop work that is not yet done. */
  readonly signal: AbortSignal;
}

/**
 * A job type: its name, the zod schema of its payload, and the handler. Handlers must be idempotent: a job runs at
 * least once and may run again after a crash or a lost lease (docs/jobs.md).
 */
export interface JobDefinition<P = unknown> {
  readonly type: string;
  readonly payload: z.ZodType<P>;
  // Method syntax on purpose: it lets a `JobDefinition<{ grantId: string }>` sit in a `JobDefinition<unknown>[]`.
  run(payload: P, context: JobContext): Promise<void>;
  /** Overrides the runner's backoff for this type (e.g. webhooks: retries spread over 24 h). */
  readonly backoff?: BackoffOptions;
  /** Default `maxAttempts` for jobs built with `buildJob`. */
  readonly maxAttempts?: number;
  /**
   * Retry window in ms from the job's creation: a failure whose retry would start later than `createdAt + retryForMs`
   * dead-letters the job instead (e.g. webhooks: 24 h). Applies together with `maxAttempts`, whichever ends first.
   */
  readonly retryForMs?: number;
  /**
   * Aborts the handler's `signal` after this many ms; the run then counts as failed (`JobTimeout`) and is retried.
   * A handler that ignores its signal keeps running (and holding its slot and lease).
   */
  readonly timeoutMs?: number;
  /**
   * Claimed before every other due job, except that other jobs overdue by 10 s or more get a reserved share of the
   * free slots (a sixteenth, at least one): work that must happen on time (grant expiry and revocation) is not held
   * up by the jobs it causes (its notifications), and a flood of urgent work cannot starve the rest.
   */
  readonly urgent?: boolean;
}

/** Declares a job type (identity function that fixes the payload type for `run` and `buildJob`). */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  if (definition.type.trim() === '') throw new Error('defineJob: empty type');
  return definition;
}

/**
 * A `NewJob` of `definition`'s type with a payload checked against its schema. Throws Error when the payload does not
 * match: enqueueing a job its own handler would reject is a bug in the caller.
 */
export function buildJob<P>(
  definition: JobDefinition<P>,
  payload: NoInfer<P>,
  options: Omit<NewJob, 'type' | 'payload'> = {},
): NewJob {
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    throw new Error(`buildJob(${definition.type}): invalid payload: ${parsed.error.message}`);
  }
  return { maxAttempts: definition.maxAttempts, ...options, type: definition.type, payload: parsed.data };
}

/** Definitions keyed by type. Throws Error on a duplicate type. */
export function indexDefinitions(
  definitions: readonly JobDefinition<unknown>[],
): ReadonlyMap<string, JobDefinition<unknown>> {
  const byType = new Map<string, JobDefinition<unknown>>();
  for (const d of definitions) {
    if (byType.has(d.type)) throw new Error(`job type ${d.type} is defined twice`);
    byType.set(d.type, d);
  }
  return byType;
}
