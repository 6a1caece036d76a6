/** The notification job types bound to their deps, for the one job runner (app.ts). */
import type { BackoffOptions, JobDefinition, JobRecord } from '../jobs/index.ts';
import { type DeliverDeps, deadLetterDelivery, deliverOnce } from './deliver.ts';
import { type DispatchDeps, dispatchAuditEvent, dispatchGrantExpiring } from './dispatch.ts';
import { grantExpiringJob, notifyDeliverJob, notifyDispatchJob } from './outbox.ts';

/** Deps of the notification jobs; `deliveryBackoff` overrides the deliver job's backoff (tests shorten it). */
export interface NotifyJobDeps {
  readonly dispatch: DispatchDeps;
  readonly deliver: DeliverDeps;
  readonly deliveryBackoff?: BackoffOptions;
}

/** `notify.dispatch`, `notify.grant_expiring` and `notify.deliver`, bound to `deps`. */
export function notifyJobDefinitions(deps: NotifyJobDeps): JobDefinition<unknown>[] {
  return [
    {
      ...notifyDispatchJob,
      run: async ({ seq }: { seq: number }) => {
        await dispatchAuditEvent(deps.dispatch, seq);
      },
    } as JobDefinition<unknown>,
    {
      ...grantExpiringJob,
      run: async ({ grantId, notAfter }: { grantId: string; notAfter: string }) => {
        await dispatchGrantExpiring(deps.dispatch, grantId, new Date(notAfter));
      },
    } as JobDefinition<unknown>,
    {
      ...notifyDeliverJob,
      ...(deps.deliveryBackoff === undefined ? {} : { backoff: deps.deliveryBackoff }),
      run: ({ deliveryId }: { deliveryId: string }, { signal }) =>
        deliverOnce(deps.deliver, deliveryId, signal),
    } as JobDefinition<unknown>,
  ];
}

/** True for the job types this module owns (their dead letters go to `onNotifyJobDead`). */
export function isNotifyJob(job: Pick<JobRecord, 'type'>): boolean {
  return job.type.startsWith('notify.');
}

/**
 * Handles a dead-lettered notification job: a delivery becomes `dead` with an `alert.notification_dead` audit
 * event. Returns false for other notify jobs (the caller logs them as generic dead jobs).
 */
export async function onNotifyJobDead(
  deps: Pick<DeliverDeps, 'transaction' | 'clock'>,
  job: Pick<JobRecord, 'type' | 'payload'>,
  error: string,
): Promise<boolean> {
  if (job.type !== notifyDeliverJob.type) return false;
  const parsed = notifyDeliverJob.payload.safeParse(job.payload);
  if (!parsed.success) return false;
  await deadLetterDelivery(deps, parsed.data.deliveryId, error);
  return true;
}
