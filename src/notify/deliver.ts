/**
 * The deliverer: one attempt of one delivery (a `notify.deliver` job run). Webhooks and callbacks get the signed
 * JSON payload, chat bindings their platform's message, email recipients a mail. Every attempt is logged (status
 * code, error, duration; never a secret). A non-2xx answer, a timeout or a network error throws, so the job retries
 * with backoff; a target the SSRF guard refuses fails permanently (dead-letter + alert).
 */
import type { AuditLog } from '../audit/ports.ts';
import { PermanentJobError } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/crypto.ts';
import type { Mailer } from '../mail/mailer.ts';
import { postJson, TargetRefusedError } from './http-post.ts';
import type { Notice } from './notice.ts';
import type {
  ChatBindingRepo,
  DeliveryRepo,
  DeliveryWork,
  NoticeSources,
  NotifyTransaction,
  SubscriptionRepo,
} from './ports.ts';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signPayload } from './signature.ts';
import type { AllowList, Resolver } from './ssrf.ts';

/** The pure renderers of each channel (src/notify/render/). */
export interface Renderers {
  webhook(n: Notice): unknown;
  slack(n: Notice): unknown;
  mattermost(n: Notice): unknown;
  email(n: Notice): { readonly subject: string; readonly text: string; readonly html: string };
}

/** What the deliverer needs. */
export interface DeliverDeps {
  readonly deliveries: Pick<DeliveryRepo, 'get' | 'recordAttempt' | 'setStatus'>;
  readonly subscriptions: Pick<SubscriptionRepo, 'get' | 'sealedSecret'>;
  readonly bindings: Pick<ChatBindingRepo, 'get'>;
  readonly sources: Pick<NoticeSources, 'request'>;
  readonly transaction: NotifyTransaction;
  readonly box: SecretBox;
  /** Signs deliveries to request callback URLs; unset: they go unsigned. */
  readonly callbackSecret: string | undefined;
  readonly mailer: Mailer;
  readonly allow: AllowList;
  readonly render: Renderers;
  readonly clock: Clock;
  /** Per-request timeout in ms (default 10 s). */
  readonly timeoutMs?: number;
  /** DNS for the guard's pre-check (tests may pass one); the connection itself always uses the system resolver. */
  readonly resolve?: Resolver;
  /** Told about every failed attempt, with its channel (the metrics counter). */
  readonly onAttemptFailed?: (channel: DeliveryWork['channel']) => void;
}

/** A ping (`POST /api/v1/webhooks/{id}/test`) as stored in a delivery. */
export interface PingPayload {
  readonly id: string;
  readonly type: 'ping';
  /** ISO 8601, as `created_at` of every payload. */
  readonly created_at: string;
  readonly webhook_id: string;
}

/** What an attempt will do. */
type Plan =
  | { kind: 'post'; url: string; body: string; headers: Record<string, string> }
  | { kind: 'mail'; to: string; message: ReturnType<Renderers['email']> }
  | { kind: 'skip'; why: string };

/** Opens a sealed secret; a key change (e.g. dev mode's per-process key) makes the delivery fail for good. */
function unseal(deps: DeliverDeps, sealed: string, what: string): string {
  try {
    return deps.box.open(sealed);
  } catch {
    throw new PermanentJobError(
      `the ${what} cannot be decrypted: was IAM_JIT_SECRET_KEY changed? Re-create it`,
    );
  }
}

async function plan(deps: DeliverDeps, d: DeliveryWork): Promise<Plan> {
  const eventHeaders = { [EVENT_ID_HEADER]: d.eventId, [EVENT_TYPE_HEADER]: d.eventType };
  const signed = (secret: string | undefined, body: string): Record<string, string> =>
    secret === undefined ? {} : { [SIGNATURE_HEADER]: signPayload(secret, body, deps.clock.now()) };
  const notice = d.payload as Notice;
  switch (d.channel) {
    case 'webhook': {
      const sub = d.subscriptionId === null ? undefined : await deps.subscriptions.get(d.subscriptionId);
      const sealed = sub === undefined ? undefined : await deps.subscriptions.sealedSecret(sub.id);
      if (sub === undefined || sealed === undefined) return { kind: 'skip', why: 'subscription deleted' };
      if (!sub.enabled && d.eventType !== 'ping') return { kind: 'skip', why: 'subscription disabled' };
      const body = JSON.stringify(d.eventType === 'ping' ? d.payload : deps.render.webhook(notice));
      return {
        kind: 'post',
        url: sub.url,
        body,
        headers: { ...eventHeaders, ...signed(unseal(deps, sealed, 'webhook secret'), body) },
      };
    }
    case 'callback': {
      const request = await deps.sources.request(notice.request.id);
      if (request?.callbackUrl == null) return { kind: 'skip', why: 'request has no callback URL' };
      const body = JSON.stringify(deps.render.webhook(notice));
      return {
        kind: 'post',
        url: request.callbackUrl,
        body,
        headers: { ...eventHeaders, ...signed(deps.callbackSecret, body) },
      };
    }
    case 'slack':
    case 'mattermost': {
      const binding = d.bindingId === null ? undefined : await deps.bindings.get(d.bindingId);
      if (binding === undefined) return { kind: 'skip', why: 'chat binding deleted' };
      const message = d.channel === 'slack' ? deps.render.slack(notice) : deps.render.mattermost(notice);
      return {
        kind: 'post',
        url: unseal(deps, binding.urlSealed, 'chat webhook URL'),
        body: JSON.stringify(message),
        headers: {},
      };
    }
    case 'email': {
      if (!deps.mailer.enabled) return { kind: 'skip', why: 'no SMTP server configured' };
      return { kind: 'mail', to: d.target.slice('email:'.length), message: deps.render.email(notice) };
    }
  }
}

/**
 * Runs one attempt of delivery `deliveryId`. Does nothing for a delivery already delivered, dead or skipped (so a
 * re-run never sends twice after success); marks it `skipped` when its target is gone. Throws to retry; throws
 * `PermanentJobError` when the SSRF guard refuses the target.
 */
export async function deliverOnce(
  deps: DeliverDeps,
  deliveryId: string,
  signal?: AbortSignal,
): Promise<void> {
  const d = await deps.deliveries.get(deliveryId);
  if (d === undefined || d.status === 'delivered' || d.status === 'dead' || d.status === 'skipped') return;
  const p = await plan(deps, d);
  if (p.kind === 'skip') {
    await deps.deliveries.setStatus(d.id, 'skipped', p.why, deps.clock.now());
    return;
  }
  const started = performance.now();
  const at = deps.clock.now();
  let statusCode: number | null = null;
  let failure: Error | undefined;
  try {
    if (p.kind === 'mail') await deps.mailer.send({ to: p.to, ...p.message });
    else
      statusCode = await postJson(p.url, p.body, p.headers, {
        allow: deps.allow,
        timeoutMs: deps.timeoutMs ?? 10_000,
        ...(signal === undefined ? {} : { signal }),
        ...(deps.resolve === undefined ? {} : { resolve: deps.resolve }),
      });
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  }
  const ok = failure === undefined && (statusCode === null || (statusCode >= 200 && statusCode < 300));
  const error = failure?.message ?? (ok ? null : `HTTP ${statusCode}`);
  await deps.deliveries.recordAttempt(
    d.id,
    { at, statusCode, error, durationMs: performance.now() - started },
    ok ? 'delivered' : 'failed',
  );
  if (ok) return;
  deps.onAttemptFailed?.(d.channel);
  if (failure instanceof TargetRefusedError) throw new PermanentJobError(failure.message);
  throw new Error(`delivery ${d.id} (${d.channel}) failed: ${error}`);
}

/**
 * Dead-letters delivery `deliveryId` after its job gave up: status `dead` and an `alert.notification_dead` audit
 * event, in one transaction. `error` is the job's last error (no secrets: see `deliverOnce`).
 */
export async function deadLetterDelivery(
  deps: Pick<DeliverDeps, 'transaction' | 'clock'>,
  deliveryId: string,
  error: string,
): Promise<void> {
  await deps.transaction(async (tx) => {
    const d = await tx.deliveries.get(deliveryId);
    if (d === undefined || d.status === 'delivered' || d.status === 'skipped') return;
    const now = deps.clock.now();
    await tx.deliveries.setStatus(d.id, 'dead', error.slice(0, 2000), now);
    await deadAlert(tx.audit, d, error, now);
  });
}

function deadAlert(audit: AuditLog, d: DeliveryWork, error: string, at: Date) {
  return audit.append({
    at,
    actor: 'system',
    action: 'alert.notification_dead',
    subject: d.subscriptionId ?? d.bindingId ?? d.id,
    data: {
      delivery_id: d.id,
      event_id: d.eventId,
      event_type: d.eventType,
      channel: d.channel,
      target: d.target,
      attempts: d.attempts,
      error: error.slice(0, 500),
    },
  });
}
