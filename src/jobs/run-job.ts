import { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import { addMs } from '../lib/clock.ts';
import type { JobDefinition } from './handlers.ts';
import { type BackoffOptions, backoffDelayMs, describeJobError, type JobRecord } from './job.ts';
import type { JobStore } from './ports.ts';

/**
 * Thrown by a handler for a failure that retrying cannot fix (e.g. the grant it refers to no longer exists): the job
 * is dead-lettered at once instead of being retried.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Why a run's signal was aborted. */
export const ABORT_REASONS = ['lease-lost', 'stopping', 'timeout'] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

/** Everything one run needs; shared by all runs of a runner. */
export interface RunDeps {
  readonly store: JobStore;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  readonly backoff: BackoffOptions;
  readonly random: () => number;
  readonly onDead: (job: JobRecord, error: string) => void | Promise<void>;
  readonly onError: (error: unknown, job?: JobRecord) => void;
}

/** One leased job being run: abort it with a reason; `done` settles when its outcome is recorded. */
export interface ActiveRun {
  readonly job: JobRecord;
  readonly done: Promise<void>;
  abort(reason: AbortReason): void;
  /** Stops renewing the lease (the runner is gone; the lease will expire on its own). */
  stopRenewing(): void;
}

/**
 * Runs one claimed job to its recorded outcome: validates the payload (malformed → dead), runs the handler while
 * renewing the lease every `leaseMs / 3`, then marks it succeeded, schedules a retry with backoff, dead-letters it
 * (after `maxAttempts` runs or a `PermanentJobError`, calling `onDead`), or releases it when the runner stopped it.
 * Never rejects: store errors go to `onError`.
 */
export function startRun(deps: RunDeps, job: JobRecord, definition: JobDefinition<unknown>): ActiveRun {
  const controller = new AbortController();
  let reason: AbortReason | undefined;
  let renewer: NodeJS.Timeout | undefined;
  const stopRenewing = (): void => {
    clearInterval(renewer);
    renewer = undefined;
  };
  const abort = (why: AbortReason): void => {
    reason ??= why;
    controller.abort(new Error(`job ${job.id} aborted: ${why}`));
  };
  let renewing = false;
  renewer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      const now = deps.clock.now();
      deps.store
        .renewLease(job.id, deps.owner, addMs(now, deps.leaseMs), now)
        .then(
          (held) => {
            if (!held) abort('lease-lost');
          },
          (e: unknown) => deps.onError(e, job),
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(1, Math.floor(deps.leaseMs / 3)),
  );

  const timeout =
    definition.timeoutMs === undefined ? undefined : setTimeout(() => abort('timeout'), definition.timeoutMs);
  const done = execute(deps, job, definition, controller.signal, () => reason)
    .catch((e: unknown) => deps.onError(e, job))
    .finally(() => {
      clearTimeout(timeout);
      stopRenewing();
    });
  return { job, done, abort, stopRenewing };
}

async function execute(
  deps: RunDeps,
  job: JobRecord,
  definition: JobDefinition<unknown>,
  signal: AbortSignal,
  abortReason: () => AbortReason | undefined,
): Promise<void> {
  if (job.attempts > job.maxAttempts) {
    // The previous holder's lease expired on the last allowed run: that run counts, so there is none left.
    return deadLetter(
      deps,
      job,
      `lease expired during run ${job.attempts - 1} of ${job.maxAttempts} (worker crashed or handler outlived its lease)`,
    );
  }
  const parsed = definition.payload.safeParse(job.payload);
  if (!parsed.success) {
    return deadLetter(
      deps,
      job,
      `malformed payload for job type ${job.type}: ${z.prettifyError(parsed.error)}`,
    );
  }
  try {
    await definition.run(parsed.data, { job, attempt: job.attempts, signal });
  } catch (e) {
    return recordFailure(deps, job, definition, e, abortReason());
  }
  if (!(await deps.store.complete(job.id, deps.owner, deps.clock.now()))) {
    deps.onError(new Error(`job ${job.id} (${job.type}) succeeded after its lease was lost`), job);
  }
}

async function recordFailure(
  deps: RunDeps,
  job: JobRecord,
  definition: JobDefinition<unknown>,
  error: unknown,
  abortReason: AbortReason | undefined,
): Promise<void> {
  const now = deps.clock.now();
  if (abortReason === 'stopping') {
    await deps.store.release(job.id, deps.owner, now);
    return;
  }
  const text =
    abortReason === 'timeout'
      ? `JobTimeout: handler did not finish within ${definition.timeoutMs} ms`
      : describeJobError(error);
  if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts)
    return deadLetter(deps, job, text);
  const retryAt = addMs(now, backoffDelayMs(job.attempts, definition.backoff ?? deps.backoff, deps.random));
  const windowEnd =
    definition.retryForMs === undefined ? undefined : addMs(job.createdAt, definition.retryForMs);
  if (windowEnd !== undefined && retryAt > windowEnd) {
    return deadLetter(deps, job, `${text} (retry window of ${definition.retryForMs} ms exhausted)`);
  }
  const held = await deps.store.fail(job.id, deps.owner, text, { retryAt }, now);
  if (!held)
    deps.onError(new Error(`job ${job.id} (${job.type}) failed after its lease was lost: ${text}`), job);
}

async function deadLetter(deps: RunDeps, job: JobRecord, error: string): Promise<void> {
  const now = deps.clock.now();
  if (!(await deps.store.fail(job.id, deps.owner, error, { dead: true }, now))) {
    deps.onError(
      new Error(`job ${job.id} (${job.type}) lost its lease before dead-lettering: ${error}`),
      job,
    );
    return;
  }
  await deps.onDead({ ...job, status: 'dead', lastError: error, updatedAt: now }, error);
}
