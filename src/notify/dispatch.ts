/**
 * The dispatcher: turns one notifiable event into deliveries — one per target (matching webhook subscriptions,
 * the request's callback URL, the chat bindings of its accounts, emails to the people concerned) — each with its
 * `notify.deliver` job, written in one transaction. Idempotent: the (event id, target) key and the job's dedupe key
 * make a re-run add nothing.
 */
import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import { type BuiltNotice, buildNotice, emailOf } from './build-notice.ts';
import type { Notice, NoticeType } from './notice.ts';
import { deliverJobKey, eventNoticeId, expiringNoticeId, noticeTypeFor, notifyDeliverJob } from './outbox.ts';
import type {
  ChatBindingRepo,
  NewDelivery,
  NoticeSources,
  NotifyTransaction,
  SubscriptionRepo,
} from './ports.ts';

/** What the dispatcher needs. */
export interface DispatchDeps {
  readonly sources: NoticeSources;
  readonly subscriptions: Pick<SubscriptionRepo, 'matching'>;
  readonly bindings: Pick<ChatBindingRepo, 'byAccounts'>;
  readonly transaction: NotifyTransaction;
  readonly clock: Clock;
  readonly baseUrl: string;
  /** False when no mail server is configured: no email deliveries are recorded. */
  readonly mailEnabled: boolean;
}

// Who gets email: the requester hears about decisions on and the life of their access; approvers about requests
// awaiting them. The actor never gets mail about their own action.
const TO_REQUESTER: ReadonlySet<NoticeType> = new Set<NoticeType>([
  'request.approved',
  'request.rejected',
  'request.changes_requested',
  'request.timed_out',
  'request.cancelled',
  'request.commented',
  'grant.activated',
  'grant.expiring',
  'grant.expired',
  'grant.revoked',
  'grant.extended',
  'grant.failed',
]);
const TO_APPROVERS: ReadonlySet<NoticeType> = new Set<NoticeType>([
  'request.submitted',
  'request.revised',
  'request.break_glass',
  'request.commented',
]);
// Chat channels get what a team watches (issue 7): new and decided requests, access granted, ending and ended.
const TO_CHAT: ReadonlySet<NoticeType> = new Set<NoticeType>([
  'request.submitted',
  'request.revised',
  'request.approved',
  'request.rejected',
  'request.changes_requested',
  'request.break_glass',
  'grant.activated',
  'grant.expiring',
  'grant.expired',
  'grant.revoked',
  'grant.failed',
]);

/** The email recipients of a notice (addresses, sorted, without the actor). */
export function emailRecipients(built: Pick<BuiltNotice, 'notice' | 'accounts' | 'grant'>): string[] {
  const { notice } = built;
  const ids = new Set<string>();
  if (TO_REQUESTER.has(notice.type)) ids.add(notice.request.requester.id);
  if (TO_APPROVERS.has(notice.type))
    for (const a of built.accounts) for (const id of a.approvers) ids.add(id);
  ids.delete(notice.actor.id);
  return [...ids]
    .map(emailOf)
    .filter((e): e is string => e !== null)
    .sort();
}

/** The deliveries of a built notice (not yet recorded). */
export async function deliveriesFor(
  deps: Pick<DispatchDeps, 'subscriptions' | 'bindings' | 'mailEnabled'>,
  built: BuiltNotice,
): Promise<NewDelivery[]> {
  const { notice, request, grant } = built;
  const base = { eventId: notice.id, eventType: notice.type, payload: notice };
  const out: NewDelivery[] = [];
  for (const s of await deps.subscriptions.matching(notice.type))
    out.push({ ...base, target: `sub:${s.id}`, channel: 'webhook', subscriptionId: s.id });
  if (request.callbackUrl !== null) out.push({ ...base, target: 'callback', channel: 'callback' });
  if (TO_CHAT.has(notice.type)) {
    const accountIds = grant === undefined ? request.accountIds : [grant.accountId];
    for (const b of await deps.bindings.byAccounts(accountIds))
      out.push({ ...base, target: `chat:${b.id}`, channel: b.kind, bindingId: b.id });
  }
  if (deps.mailEnabled)
    for (const address of emailRecipients(built))
      out.push({ ...base, target: `email:${address}`, channel: 'email' });
  return out;
}

/** Records `deliveries` and their deliver jobs in one transaction; returns how many were new. */
export async function recordDeliveries(
  deps: Pick<DispatchDeps, 'transaction' | 'clock'>,
  deliveries: readonly NewDelivery[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
  return deps.transaction(async (tx) => {
    const now = deps.clock.now();
    let created = 0;
    for (const d of deliveries) {
      const row = await tx.deliveries.insert(d, now);
      // The job is enqueued even for an existing row: its dedupe key makes that a no-op, and it repairs a row
      // whose job was pruned or never written.
      await tx.jobs.enqueue(
        buildJob(notifyDeliverJob, { deliveryId: row.id }, { runAt: now, dedupeKey: deliverJobKey(row.id) }),
      );
      if (row.created) created += 1;
    }
    return created;
  });
}

/** Dispatches the notice of audit event `seq`; returns the notice (undefined when nothing is sent). */
export async function dispatchAuditEvent(deps: DispatchDeps, seq: number): Promise<Notice | undefined> {
  const event = await deps.sources.auditEvent(seq);
  if (event === undefined) return undefined;
  const type = noticeTypeFor(event.action, event.data);
  if (type === undefined) return undefined;
  const built = await buildNotice(deps.sources, {
    id: eventNoticeId(seq),
    type,
    event,
    baseUrl: deps.baseUrl,
  });
  if (built === undefined) return undefined;
  await recordDeliveries(deps, await deliveriesFor(deps, built));
  return built.notice;
}

/**
 * The 15-minute reminder: dispatches `grant.expiring` only while grant `grantId` is still active with this
 * `notAfter` (an extension schedules its own reminder; an ended grant gets none).
 */
export async function dispatchGrantExpiring(
  deps: DispatchDeps,
  grantId: string,
  notAfter: Date,
): Promise<Notice | undefined> {
  const grant = await deps.sources.grant(grantId);
  if (grant === undefined || grant.status !== 'active' || grant.notAfter.getTime() !== notAfter.getTime())
    return undefined;
  const built = await buildNotice(deps.sources, {
    id: expiringNoticeId(grantId, notAfter),
    type: 'grant.expiring',
    event: { at: deps.clock.now(), actor: 'system', action: 'grant.expiring', subject: grantId, data: {} },
    baseUrl: deps.baseUrl,
  });
  if (built === undefined) return undefined;
  await recordDeliveries(deps, await deliveriesFor(deps, built));
  return built.notice;
}
