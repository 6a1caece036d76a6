/**
 * The approval timeout (DESIGN.md §3: pending ──approval timeout──► timed_out). Each submission and resubmission
 * schedules a durable job for its deadline (`RequestTxRepos.scheduleTimeout`); when it runs, a request still
 * pending on that same deadline times out. A later resubmission moves the deadline, so an older job finds its
 * deadline superseded and does nothing.
 */
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/index.ts';
import { MINUTE } from '../lib/clock.ts';
import { commitTransition, type RequestServiceDeps } from './request-common.ts';
import type { Actor } from './request-rules.ts';

/** The actor recorded for transitions iam-jit makes by itself. */
export const SYSTEM_ACTOR: Actor = { id: 'system', roles: [] };

/** What a timeout run did. */
export const TIMEOUT_OUTCOMES = ['timed_out', 'not_pending', 'superseded', 'not_due', 'missing'] as const;
export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

/**
 * Times out request `id` if it is still `pending`, its deadline is still `deadline` and that deadline has passed;
 * the transition and its audit event commit together. Never throws for a request that moved on meanwhile.
 */
export async function timeOutRequest(
  { transaction, clock }: Pick<RequestServiceDeps, 'transaction' | 'clock'>,
  id: string,
  deadline: Date,
): Promise<TimeoutOutcome> {
  return transaction(async (tx) => {
    const request = await tx.requests.get(id);
    if (request === undefined) return 'missing';
    if (request.status !== 'pending') return 'not_pending';
    if (request.approvalDeadline?.getTime() !== deadline.getTime()) return 'superseded';
    const now = clock.now();
    if (now.getTime() < deadline.getTime()) return 'not_due';
    await commitTransition(tx, {
      request,
      actor: SYSTEM_ACTOR,
      now,
      type: 'timed_out',
      change: { status: 'timed_out' },
      data: { deadline: deadline.toISOString(), revision: request.currentRevision },
    });
    return 'timed_out';
  });
}

const payload = z.object({ requestId: z.string(), deadline: z.iso.datetime() });
type Payload = z.infer<typeof payload>;

/** The job that enforces one approval deadline (dedupe key per request and deadline). */
export const requestTimeoutJob: JobDefinition<Payload> = defineJob({
  type: 'request.timeout',
  payload,
  maxAttempts: 20,
  backoff: { baseMs: 1000, capMs: 5 * MINUTE },
  run: async () => {
    throw new Error('request.timeout used without request deps (use requestJobDefinitions)');
  },
});

/** Dedupe key of the timeout job for one deadline of one request. */
export function timeoutJobKey(requestId: string, deadline: Date): string {
  return `request-timeout:${requestId}:${deadline.toISOString()}`;
}

/** The request job types bound to the request deps, for the job runner. */
export function requestJobDefinitions(
  deps: Pick<RequestServiceDeps, 'transaction' | 'clock'>,
): JobDefinition<unknown>[] {
  return [
    {
      ...requestTimeoutJob,
      run: async ({ requestId, deadline }: Payload) => {
        const outcome = await timeOutRequest(deps, requestId, new Date(deadline));
        // Due but early (clock skew between replicas): fail this run so the job retries shortly after.
        if (outcome === 'not_due') throw new Error(`request ${requestId} is not due until ${deadline}`);
      },
    } as JobDefinition<unknown>,
  ];
}
