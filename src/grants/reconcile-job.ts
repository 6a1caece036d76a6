/**
 * The periodic reconciler as a job: one run per interval across all replicas (dedupe key `reconcile:<interval
 * start>`), each run scheduling the next. `app.ts` adds `definition` to the runner and calls `scheduleFirst()` once
 * the runner starts (docs/grants.md "Reconciler").
 */
import { z } from 'zod';
import { buildJob, defineJob, type JobDefinition } from '../jobs/index.ts';
import { MINUTE } from '../lib/clock.ts';
import { type ReconcileDeps, type ReconcileFinding, reconcileGrants } from './reconcile.ts';

/** How often the reconciler runs by default. */
export const RECONCILE_EVERY_MS = 15 * MINUTE;

/** The reconciler job and how to schedule its first run. */
export interface ReconcileJob {
  readonly definition: JobDefinition<unknown>;
  /** Enqueues the run of the current interval (a no-op when another replica already did). */
  scheduleFirst(): Promise<void>;
}

/** The dedupe key and due time of the run for the interval containing `at`. */
export function reconcileSlot(at: Date, everyMs: number): { key: string; runAt: Date } {
  const runAt = new Date(Math.floor(at.getTime() / everyMs) * everyMs);
  return { key: `reconcile:${runAt.toISOString()}`, runAt };
}

/** Creates the reconciler job over `deps`; `report` receives each run's findings (log them). */
export function createReconcileJob(
  deps: ReconcileDeps,
  {
    everyMs = RECONCILE_EVERY_MS,
    report = () => {},
  }: { everyMs?: number; report?: (findings: ReconcileFinding[]) => void } = {},
): ReconcileJob {
  const schedule = (at: Date) =>
    deps.transaction(async (tx) => {
      const { key, runAt } = reconcileSlot(at, everyMs);
      await tx.jobs.enqueue(buildJob(definition, {}, { runAt, dedupeKey: key }));
    });
  const definition: JobDefinition<Record<string, never>> = defineJob({
    type: 'grant.reconcile',
    payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
    maxAttempts: 3,
    backoff: { baseMs: 5000, capMs: MINUTE },
    async run() {
      report(await reconcileGrants(deps));
      await schedule(new Date(deps.clock.now().getTime() + everyMs));
    },
  });
  return {
    definition: definition as JobDefinition<unknown>,
    scheduleFirst: () => schedule(deps.clock.now()),
  };
}
