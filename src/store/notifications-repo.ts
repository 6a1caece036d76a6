import { newId } from '../lib/ids.ts';
import type { NoticeType } from '../notify/notice.ts';
import type {
  ChatBinding,
  ChatBindingRepo,
  ChatKind,
  Delivery,
  DeliveryChannel,
  DeliveryRepo,
  DeliveryStatus,
  EventFilter,
  SubscriptionRepo,
  WebhookSubscription,
} from '../notify/ports.ts';
import type { DbExecutor } from './db.ts';
import type {
  ChatBindingRow,
  NotificationDeliveryRow,
  WebhookSubscriptionRow,
} from './notifications.table.ts';
import { withTransaction } from './transaction.ts';

function toSubscription(r: WebhookSubscriptionRow): WebhookSubscription {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as EventFilter,
    description: r.description,
    enabled: Number(r.enabled) === 1,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The `SubscriptionRepo` port over a connection or a transaction. */
export function createSubscriptionRepo(db: DbExecutor): SubscriptionRepo {
  return {
    async insert(s, secretSealed) {
      await db
        .insertInto('webhook_subscriptions')
        .values({
          id: s.id,
          url: s.url,
          events: JSON.stringify(s.events),
          description: s.description,
          secret_sealed: secretSealed,
          enabled: s.enabled ? 1 : 0,
          created_by: s.createdBy,
          created_at: s.createdAt.toISOString(),
          updated_at: s.updatedAt.toISOString(),
        })
        .execute();
    },
    async get(id) {
      const row = await db
        .selectFrom('webhook_subscriptions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toSubscription(row);
    },
    async sealedSecret(id) {
      const row = await db
        .selectFrom('webhook_subscriptions')
        .select('secret_sealed')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.secret_sealed;
    },
    async list({ after, limit }) {
      let q = db.selectFrom('webhook_subscriptions').selectAll();
      if (after !== undefined) q = q.where('id', '>', after);
      return (await q.orderBy('id').limit(limit).execute()).map(toSubscription);
    },
    async matching(type: NoticeType) {
      // Few subscriptions per deployment: filter the JSON list here rather than in dialect-specific SQL.
      const rows = await db
        .selectFrom('webhook_subscriptions')
        .selectAll()
        .where('enabled', '=', 1)
        .orderBy('id')
        .execute();
      return rows.map(toSubscription).filter((s) => s.events.includes('*') || s.events.includes(type));
    },
    async update(id, patch, now) {
      const set: Record<string, string | number> = { updated_at: now.toISOString() };
      if (patch.url !== undefined) set.url = patch.url;
      if (patch.events !== undefined) set.events = JSON.stringify(patch.events);
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
      if (patch.secretSealed !== undefined) set.secret_sealed = patch.secretSealed;
      const r = await db
        .updateTable('webhook_subscriptions')
        .set(set)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async remove(id) {
      const r = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}

function toBinding(r: ChatBindingRow): ChatBinding {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind as ChatKind,
    urlMasked: r.url_masked,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
}

/** The `ChatBindingRepo` port over a connection or a transaction. */
export function createChatBindingRepo(db: DbExecutor): ChatBindingRepo {
  return {
    async insert(b, urlSealed) {
      await db
        .insertInto('chat_bindings')
        .values({
          id: b.id,
          account_id: b.accountId,
          kind: b.kind,
          url_sealed: urlSealed,
          url_masked: b.urlMasked,
          created_by: b.createdBy,
          created_at: b.createdAt.toISOString(),
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('chat_bindings').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : { ...toBinding(row), urlSealed: row.url_sealed };
    },
    async byAccounts(accountIds) {
      if (accountIds.length === 0) return [];
      const rows = await db
        .selectFrom('chat_bindings')
        .selectAll()
        .where('account_id', 'in', accountIds)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toBinding);
    },
    async remove(id) {
      const r = await db.deleteFrom('chat_bindings').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}

function toDelivery(r: NotificationDeliveryRow): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    target: r.target,
    channel: r.channel as DeliveryChannel,
    subscriptionId: r.subscription_id,
    bindingId: r.binding_id,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The `DeliveryRepo` port over a connection or a transaction. */
export function createDeliveryRepo(db: DbExecutor): DeliveryRepo {
  return {
    async insert(d, now) {
      const stamp = now.toISOString();
      const inserted = await db
        .insertInto('notification_deliveries')
        .values({
          id: newId('dlv'),
          event_id: d.eventId,
          event_type: d.eventType,
          target: d.target,
          channel: d.channel,
          subscription_id: d.subscriptionId ?? null,
          binding_id: d.bindingId ?? null,
          notice: JSON.stringify(d.payload),
          status: 'pending',
          attempts: 0,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .onConflict((oc) => oc.columns(['event_id', 'target']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return { id: inserted.id, created: true };
      const existing = await db
        .selectFrom('notification_deliveries')
        .select('id')
        .where('event_id', '=', d.eventId)
        .where('target', '=', d.target)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    },
    async get(id) {
      const row = await db
        .selectFrom('notification_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { ...toDelivery(row), payload: JSON.parse(row.notice) as unknown };
    },
    async recordAttempt(id, attempt, status) {
      const stamp = attempt.at.toISOString();
      // One transaction: a reader never sees the new status without its attempt row.
      return withTransaction(db, async (tx) => {
        const row = await tx
          .updateTable('notification_deliveries')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            status,
            last_status_code: attempt.statusCode,
            last_error: attempt.error,
            updated_at: stamp,
            ...(status === 'delivered' ? { delivered_at: stamp } : {}),
          }))
          .where('id', '=', id)
          .returning('attempts')
          .executeTakeFirstOrThrow();
        const n = Number(row.attempts);
        await tx
          .insertInto('notification_attempts')
          .values({
            delivery_id: id,
            attempt: n,
            at: stamp,
            status_code: attempt.statusCode,
            error: attempt.error,
            duration_ms: Math.round(attempt.durationMs),
          })
          .execute();
        return n;
      });
    },
    async setStatus(id, status, error, now) {
      await db
        .updateTable('notification_deliveries')
        .set({ status, ...(error === null ? {} : { last_error: error }), updated_at: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },
    async bySubscription(subscriptionId, { after, limit }) {
      let q = db
        .selectFrom('notification_deliveries')
        .selectAll()
        .where('subscription_id', '=', subscriptionId);
      if (after !== undefined) {
        const at = after.createdAt.toISOString();
        q = q.where((eb) =>
          eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', after.id)])]),
        );
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toDelivery);
    },
    async attempts(id) {
      const rows = await db
        .selectFrom('notification_attempts')
        .selectAll()
        .where('delivery_id', '=', id)
        .orderBy('attempt')
        .execute();
      return rows.map((r) => ({
        attempt: Number(r.attempt),
        at: new Date(r.at),
        statusCode: r.status_code === null ? null : Number(r.status_code),
        error: r.error,
        durationMs: Number(r.duration_ms),
      }));
    },
  };
}
