/** The grant job types: provision at `not_before`, expire at `not_after`, revoke on request (docs/grants.md). */
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/index.ts';
import { MINUTE } from '../lib/clock.ts';
import type { GrantLifecycle } from './grant-lifecycle.ts';

const payload = z.object({ grantId: z.string() });
type Payload = z.infer<typeof payload>;

const unbound = async (): Promise<void> => {
  throw new Error('grant job definition used without a lifecycle (use grantJobDefinitions)');
};

/** Provisioning: retried with backoff (throttling, transient AWS errors); dead after 12 runs fails the grant. */
export const provisionGrantJob: JobDefinition<Payload> = defineJob({
  type: 'grant.provision',
  payload,
  maxAttempts: 12,
  backoff: { baseMs: 1000, capMs: 2 * MINUTE },
  run: unbound,
});

/**
 * Revocation must not give up while AWS is down: many attempts, 5-minute cap (expiry and early revoke). It is urgent:
 * claimed before the notifications a burst of ends enqueues.
 */
const UNTIL_REVOKED = {
  maxAttempts: 1000,
  backoff: { baseMs: 1000, capMs: 5 * MINUTE },
  urgent: true,
} as const;

/** Expiry at `not_after`. */
export const expireGrantJob: JobDefinition<Payload> = defineJob({
  type: 'grant.expire',
  payload,
  ...UNTIL_REVOKED,
  run: unbound,
});

/** Early revocation (and clean-up after a failed provisioning); same retry policy as expiry. */
export const revokeGrantJob: JobDefinition<Payload> = defineJob({
  type: 'grant.revoke',
  payload,
  ...UNTIL_REVOKED,
  run: unbound,
});

/** Re-converges an active grant's role after its `not_after` moved (extend). */
export const refreshGrantJob: JobDefinition<Payload> = defineJob({
  type: 'grant.refresh',
  payload,
  maxAttempts: 50,
  backoff: { baseMs: 1000, capMs: 5 * MINUTE },
  run: unbound,
});

/** The grant job types bound to `lifecycle`, for the runner. */
export function grantJobDefinitions(lifecycle: GrantLifecycle): JobDefinition<unknown>[] {
  return [
    { ...provisionGrantJob, run: ({ grantId }: Payload, { signal }) => lifecycle.provision(grantId, signal) },
    {
      ...expireGrantJob,
      run: ({ grantId }: Payload, { attempt, signal }) =>
        lifecycle.end(grantId, { expiry: true, attempt, signal }),
    },
    { ...refreshGrantJob, run: ({ grantId }: Payload, { signal }) => lifecycle.refresh(grantId, signal) },
    {
      ...revokeGrantJob,
      run: ({ grantId }: Payload, { attempt, signal }) =>
        lifecycle.end(grantId, { expiry: false, attempt, signal }),
    },
  ] as JobDefinition<unknown>[];
}
