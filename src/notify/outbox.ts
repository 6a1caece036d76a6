/**
 * The outbox (DESIGN.md §1.4–1.5): which audit events notify someone, and the durable jobs an audit append writes
 * in its own transaction — `notify.dispatch` for a notifiable event and `notify.grant_expiring` 15 minutes before a
 * grant ends. Pure: the store calls `outboxJobs` from `appendAuditEvent` and enqueues what it returns.
 */
import { z } from 'zod';
import type { AuditEvent } from '../audit/audit-event.ts';
import { defineJob, type JobDefinition, type NewJob } from '../jobs/index.ts';
import { HOUR, MINUTE } from '../lib/clock.ts';
import type { NoticeType } from './notice.ts';

/** Audit action → the notice it sends (`request.approved` only once quorum is met, see `noticeTypeFor`). */
const NOTICE_BY_ACTION: Readonly<Record<string, NoticeType>> = {
  'request.submitted': 'request.submitted',
  'request.revised': 'request.revised',
  'request.approved': 'request.approved',
  'request.rejected': 'request.rejected',
  'request.changes_requested': 'request.changes_requested',
  'request.cancelled': 'request.cancelled',
  'request.timed_out': 'request.timed_out',
  'request.commented': 'request.commented',
  'request.break_glass': 'request.break_glass',
  'grant.activated': 'grant.activated',
  'grant.extended': 'grant.extended',
  'grant.expired': 'grant.expired',
  'grant.revoked': 'grant.revoked',
  'grant.failed': 'grant.failed',
  // What the lifecycle writes when provisioning gave up (the requester hears that access will not come).
  'grant.provision_failed': 'grant.failed',
};

/** How long before `not_after` the "expiring" notice goes out. */
export const EXPIRING_LEAD_MS = 15 * MINUTE;

/**
 * The notice an audit event sends, or undefined. An approval that does not yet meet the quorum
 * (`data.to_status` is still `pending`) sends nothing; the approval that completes it sends `request.approved`.
 */
export function noticeTypeFor(
  action: string,
  data: Readonly<Record<string, unknown>>,
): NoticeType | undefined {
  if (action === 'request.approved' && data.to_status !== 'approved') return undefined;
  return NOTICE_BY_ACTION[action];
}

/** The stable id of the notice of audit event `seq` (receivers de-duplicate on it). */
export function eventNoticeId(seq: number): string {
  return `evt_${seq}`;
}

/** The stable id of the "expiring" notice of `grantId` for the given end. */
export function expiringNoticeId(grantId: string, notAfter: Date): string {
  return `evt_${grantId}_expiring_${Math.floor(notAfter.getTime() / 1000)}`;
}

const unbound = async (): Promise<void> => {
  throw new Error('notify job definition used without its deps (use notifyJobDefinitions)');
};

const dispatchPayload = z.object({ seq: z.number().int().positive() });
/** Builds the notice of one audit event and one delivery (and `notify.deliver` job) per target. */
export const notifyDispatchJob: JobDefinition<z.infer<typeof dispatchPayload>> = defineJob({
  type: 'notify.dispatch',
  payload: dispatchPayload,
  maxAttempts: 50,
  backoff: { baseMs: 1000, capMs: 5 * MINUTE },
  run: unbound,
});

const expiringPayload = z.object({ grantId: z.string().min(1), notAfter: z.iso.datetime() });
/** At `not_after − 15 min`: dispatches `grant.expiring` when the grant is still active with that end. */
export const grantExpiringJob: JobDefinition<z.infer<typeof expiringPayload>> = defineJob({
  type: 'notify.grant_expiring',
  payload: expiringPayload,
  maxAttempts: 50,
  backoff: { baseMs: 1000, capMs: 5 * MINUTE },
  run: unbound,
});

const deliverPayload = z.object({ deliveryId: z.string().min(1) });
/** Longest a delivery keeps retrying before it is dead-lettered. */
export const DELIVERY_RETRY_WINDOW_MS = 24 * HOUR;
/** One delivery to one target; exponential backoff with full jitter for up to 24 h, then dead-letter + alert. */
export const notifyDeliverJob: JobDefinition<z.infer<typeof deliverPayload>> = defineJob({
  type: 'notify.deliver',
  payload: deliverPayload,
  maxAttempts: 1000,
  retryForMs: DELIVERY_RETRY_WINDOW_MS,
  backoff: { baseMs: 10_000, capMs: HOUR },
  // The HTTP request has its own 10 s timeout; this only bounds a stuck mail server.
  timeoutMs: 60_000,
  run: unbound,
});

/** Dedupe key of the deliver job of one delivery row. */
export function deliverJobKey(deliveryId: string): string {
  return `notify-deliver:${deliveryId}`;
}

function isoOrUndefined(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The outbox jobs of a just-appended audit event: a `notify.dispatch` job (dedupe `notify:evt_<seq>`) when it is
 * notifiable, and for `grant.activated` / `grant.extended` a `notify.grant_expiring` job at `not_after − 15 min`
 * (at once when less remains; none when the grant already ended).
 */
export function outboxJobs(event: Pick<AuditEvent, 'seq' | 'at' | 'action' | 'subject' | 'data'>): NewJob[] {
  const jobs: NewJob[] = [];
  if (noticeTypeFor(event.action, event.data) !== undefined)
    jobs.push({
      type: notifyDispatchJob.type,
      payload: { seq: event.seq },
      runAt: event.at,
      dedupeKey: `notify:${eventNoticeId(event.seq)}`,
      maxAttempts: notifyDispatchJob.maxAttempts,
    });
  if ((event.action === 'grant.activated' || event.action === 'grant.extended') && event.subject !== null) {
    const notAfter = isoOrUndefined(
      event.action === 'grant.activated' ? event.data.not_after : event.data.to,
    );
    if (notAfter !== undefined && notAfter.getTime() > event.at.getTime()) {
      const runAt = new Date(Math.max(event.at.getTime(), notAfter.getTime() - EXPIRING_LEAD_MS));
      jobs.push({
        type: grantExpiringJob.type,
        payload: { grantId: event.subject, notAfter: notAfter.toISOString() },
        runAt,
        dedupeKey: `notify:${expiringNoticeId(event.subject, notAfter)}`,
        maxAttempts: grantExpiringJob.maxAttempts,
      });
    }
  }
  return jobs;
}
