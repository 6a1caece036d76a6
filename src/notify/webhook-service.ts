/** Admin use cases over webhook subscriptions: create (secret shown once), read, change, delete, rotate, test. */

import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/crypto.ts';
import { BrokerError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { PingPayload } from './deliver.ts';
import { NOTICE_TYPES } from './notice.ts';
import { deliverJobKey, notifyDeliverJob } from './outbox.ts';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryRepo,
  EventFilter,
  NotifyTransaction,
  SubscriptionRepo,
  WebhookSubscription,
} from './ports.ts';
import { generateWebhookSecret } from './signature.ts';
import type { AllowList, Resolver } from './ssrf.ts';
import { checkTargetUrlInput } from './target-url.ts';

/** What an admin sets on a subscription. */
export interface SubscriptionInput {
  readonly url?: unknown;
  /** Notice types or `*` (default `["*"]`). */
  readonly events?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/** A subscription with its secret: only ever returned by `create` and `rotateSecret`. */
export interface SubscriptionWithSecret {
  readonly subscription: WebhookSubscription;
  readonly secret: string;
}

/** One page of a subscription's delivery log, newest first, each with its attempts. */
export interface DeliveryPage {
  readonly deliveries: readonly (Delivery & { readonly attemptLog: readonly DeliveryAttempt[] })[];
  readonly nextCursor: string | null;
}

/** The webhook admin service. Callers check the admin role (the routes do); every change is audited. */
export interface WebhookService {
  create(actorId: string, input: SubscriptionInput): Promise<SubscriptionWithSecret>;
  list(options?: { after?: string; limit?: number }): Promise<WebhookSubscription[]>;
  /** Throws `NotFound`. */
  get(id: string): Promise<WebhookSubscription>;
  update(actorId: string, id: string, patch: SubscriptionInput): Promise<WebhookSubscription>;
  remove(actorId: string, id: string): Promise<void>;
  rotateSecret(actorId: string, id: string): Promise<SubscriptionWithSecret>;
  /** Queues a signed `ping` delivery to the subscription; returns the delivery id. */
  test(actorId: string, id: string): Promise<string>;
  deliveries(id: string, options?: { cursor?: string; limit?: number }): Promise<DeliveryPage>;
  /**
   * Checks a notification target given elsewhere (a request's `callback_url`) with the SSRF guard; throws
   * `InvalidInput` (400) naming `field` and the reason.
   */
  checkTarget(url: string, field: string): Promise<void>;
}

/** What the service needs. */
export interface WebhookServiceDeps {
  readonly subscriptions: Pick<SubscriptionRepo, 'get' | 'list'>;
  readonly deliveries: Pick<DeliveryRepo, 'bySubscription' | 'attempts'>;
  readonly transaction: NotifyTransaction;
  readonly box: SecretBox;
  readonly allow: AllowList;
  readonly clock: Clock;
  readonly resolve?: Resolver;
}

const MAX_DESCRIPTION = 200;

function checkEvents(events: readonly string[] | undefined): EventFilter | undefined {
  if (events === undefined) return undefined;
  const allowed = new Set<string>(['*', ...NOTICE_TYPES]);
  const unknown = events.filter((e) => !allowed.has(e));
  if (events.length === 0 || unknown.length > 0)
    throw new BrokerError(
      'InvalidInput',
      events.length === 0
        ? 'events must name at least one event type or "*"'
        : `unknown event type ${unknown[0]}`,
      { details: { field: 'events', allowed: [...allowed] } },
    );
  return [...new Set(events)].sort() as unknown as EventFilter;
}

function checkDescription(d: string | undefined): string | undefined {
  if (d !== undefined && d.length > MAX_DESCRIPTION)
    throw new BrokerError('InvalidInput', `description is longer than ${MAX_DESCRIPTION} characters`, {
      details: { field: 'description' },
    });
  return d;
}

const hostOf = (url: string) => new URL(url).host;

// Cursor of the delivery log: "<created_at ISO>~<delivery id>".
function parseCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = cursor.split('~');
  const createdAt = new Date(at ?? '');
  if (id === undefined || Number.isNaN(createdAt.getTime()))
    throw new BrokerError('InvalidInput', 'cursor is not a next_cursor of this list', {
      details: { field: 'cursor' },
    });
  return { createdAt, id };
}

/** Creates the webhook admin service. */
export function createWebhookService(deps: WebhookServiceDeps): WebhookService {
  const { transaction, box, clock } = deps;
  const checkUrl = (url: unknown) =>
    checkTargetUrlInput(url, {
      field: 'url',
      allow: deps.allow,
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    });
  const load = async (id: string) => {
    const s = await deps.subscriptions.get(id);
    if (s === undefined)
      throw new BrokerError('NotFound', `webhook ${id} not found`, { details: { webhook_id: id } });
    return s;
  };

  return {
    async create(actorId, input) {
      const url = await checkUrl(input.url);
      const now = clock.now();
      const secret = generateWebhookSecret();
      const subscription: WebhookSubscription = {
        id: newId('whk'),
        url,
        events: checkEvents(input.events) ?? ['*'],
        description: checkDescription(input.description) ?? '',
        enabled: input.enabled ?? true,
        createdBy: actorId,
        createdAt: now,
        updatedAt: now,
      };
      await transaction(async (tx) => {
        await tx.subscriptions.insert(subscription, box.seal(secret));
        await tx.audit.append({
          at: now,
          actor: actorId,
          action: 'webhook.created',
          subject: subscription.id,
          data: { host: hostOf(url), events: [...subscription.events], enabled: subscription.enabled },
        });
      });
      return { subscription, secret };
    },
    list: ({ after, limit = 100 } = {}) =>
      deps.subscriptions.list({ ...(after === undefined ? {} : { after }), limit }),
    get: load,
    async update(actorId, id, patch) {
      const url = patch.url === undefined ? undefined : await checkUrl(patch.url);
      const events = checkEvents(patch.events);
      const description = checkDescription(patch.description);
      const now = clock.now();
      return transaction(async (tx) => {
        const current = await tx.subscriptions.get(id);
        if (current === undefined)
          throw new BrokerError('NotFound', `webhook ${id} not found`, { details: { webhook_id: id } });
        const next = {
          ...(url === undefined ? {} : { url }),
          ...(events === undefined ? {} : { events }),
          ...(description === undefined ? {} : { description }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        };
        await tx.subscriptions.update(id, next, now);
        await tx.audit.append({
          at: now,
          actor: actorId,
          action: 'webhook.updated',
          subject: id,
          data: {
            changed: Object.keys(next).sort(),
            ...(url === undefined ? {} : { host: hostOf(url) }),
            ...(events === undefined ? {} : { events: [...events] }),
            ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
          },
        });
        return { ...current, ...next, updatedAt: now };
      });
    },
    async remove(actorId, id) {
      await transaction(async (tx) => {
        const current = await tx.subscriptions.get(id);
        if (current === undefined || !(await tx.subscriptions.remove(id)))
          throw new BrokerError('NotFound', `webhook ${id} not found`, { details: { webhook_id: id } });
        await tx.audit.append({
          at: clock.now(),
          actor: actorId,
          action: 'webhook.deleted',
          subject: id,
          data: { host: hostOf(current.url) },
        });
      });
    },
    async rotateSecret(actorId, id) {
      const secret = generateWebhookSecret();
      const now = clock.now();
      const subscription = await transaction(async (tx) => {
        const current = await tx.subscriptions.get(id);
        if (current === undefined)
          throw new BrokerError('NotFound', `webhook ${id} not found`, { details: { webhook_id: id } });
        await tx.subscriptions.update(id, { secretSealed: box.seal(secret) }, now);
        await tx.audit.append({
          at: now,
          actor: actorId,
          action: 'webhook.secret_rotated',
          subject: id,
          data: {},
        });
        return { ...current, updatedAt: now };
      });
      return { subscription, secret };
    },
    async test(actorId, id) {
      const now = clock.now();
      const ping: PingPayload = {
        id: `evt_ping_${newId('png').slice('png_'.length)}`,
        type: 'ping',
        created_at: now.toISOString(),
        webhook_id: id,
      };
      return transaction(async (tx) => {
        if ((await tx.subscriptions.get(id)) === undefined)
          throw new BrokerError('NotFound', `webhook ${id} not found`, { details: { webhook_id: id } });
        const row = await tx.deliveries.insert(
          {
            eventId: ping.id,
            eventType: 'ping',
            target: `sub:${id}`,
            channel: 'webhook',
            subscriptionId: id,
            payload: ping,
          },
          now,
        );
        await tx.jobs.enqueue(
          buildJob(
            notifyDeliverJob,
            { deliveryId: row.id },
            { runAt: now, dedupeKey: deliverJobKey(row.id) },
          ),
        );
        await tx.audit.append({
          at: now,
          actor: actorId,
          action: 'webhook.tested',
          subject: id,
          data: { event_id: ping.id, delivery_id: row.id },
        });
        return row.id;
      });
    },
    async checkTarget(url, field) {
      // Requesters call this (callback_url): they learn that a name is refused, not what it resolves to.
      await checkTargetUrlInput(url, {
        field,
        opaque: true,
        allow: deps.allow,
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
      });
    },
    async deliveries(id, { cursor, limit = 50 } = {}) {
      await load(id);
      const after = parseCursor(cursor);
      const rows = await deps.deliveries.bySubscription(id, {
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        deliveries: await Promise.all(
          page.map(async (d) => ({ ...d, attemptLog: await deps.deliveries.attempts(d.id) })),
        ),
        nextCursor:
          rows.length > limit && last !== undefined ? `${last.createdAt.toISOString()}~${last.id}` : null,
      };
    },
  };
}
