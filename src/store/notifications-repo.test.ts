import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { createFakeClock } from '../lib/clock.ts';
import { appendAuditEvent } from './audit-events-repo.ts';
import { createNotifyStore } from './notifications-store.ts';
import { withTransaction } from './transaction.ts';

const T0 = new Date('2026-11-23T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

forEachDialect('notifications store', (ctx) => {
  beforeEach(() => ctx.reset());

  const jobs = () =>
    ctx.database.db
      .selectFrom('jobs')
      .select(['type', 'dedupe_key', 'payload', 'run_at'])
      .orderBy('dedupe_key')
      .execute();

  test('the outbox job commits with its audit event, and rolls back with it', async () => {
    const db = ctx.database.db;
    const woken: Date[] = [];
    await assert.rejects(
      withTransaction(db, async (tx) => {
        await appendAuditEvent(tx, {
          at: T0,
          actor: 'email:a@x.com',
          action: 'request.submitted',
          subject: 'req_1',
        });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await jobs(), []);
    const event = await withTransaction(db, (tx) =>
      appendAuditEvent(
        tx,
        { at: T0, actor: 'email:a@x.com', action: 'request.submitted', subject: 'req_1' },
        { onEnqueued: (d) => woken.push(d) },
      ),
    );
    await withTransaction(db, (tx) =>
      appendAuditEvent(tx, { at: T0, actor: 'email:a@x.com', action: 'token.minted', subject: null }),
    );
    await withTransaction(db, (tx) =>
      appendAuditEvent(tx, {
        at: T0,
        actor: 'email:b@x.com',
        action: 'request.approved',
        subject: 'req_1',
        data: { to_status: 'pending' },
      }),
    );
    assert.deepEqual(await jobs(), [
      {
        type: 'notify.dispatch',
        dedupe_key: `notify:evt_${event.seq}`,
        payload: JSON.stringify({ seq: event.seq }),
        run_at: T0.toISOString(),
      },
    ]);
    assert.deepEqual(woken, [T0]);
  });

  test('deliveries are unique per (event id, target); attempts are logged; the log pages newest first', async () => {
    const store = createNotifyStore(ctx.database, { clock: createFakeClock(T0) });
    const base = {
      eventType: 'request.submitted',
      channel: 'webhook' as const,
      subscriptionId: 'whk_1',
      payload: { x: 1 },
    };
    const first = await store.deliveries.insert({ ...base, eventId: 'evt_1', target: 'sub:whk_1' }, T0);
    const again = await store.deliveries.insert({ ...base, eventId: 'evt_1', target: 'sub:whk_1' }, at(1000));
    assert.deepEqual(again, { id: first.id, created: false });
    assert.ok(first.created);
    const ids = [first.id];
    for (let i = 2; i <= 5; i++)
      ids.push(
        (await store.deliveries.insert({ ...base, eventId: `evt_${i}`, target: 'sub:whk_1' }, at(i * 1000)))
          .id,
      );
    await store.deliveries.insert(
      { ...base, eventId: 'evt_9', target: 'sub:whk_2', subscriptionId: 'whk_2' },
      at(9000),
    );

    assert.equal(
      await store.deliveries.recordAttempt(
        first.id,
        { at: at(1), statusCode: 500, error: 'HTTP 500', durationMs: 12.4 },
        'failed',
      ),
      1,
    );
    assert.equal(
      await store.deliveries.recordAttempt(
        first.id,
        { at: at(2), statusCode: 200, error: null, durationMs: 3 },
        'delivered',
      ),
      2,
    );
    const got = await store.deliveries.get(first.id);
    assert.deepEqual(
      [
        got?.status,
        got?.attempts,
        got?.lastStatusCode,
        got?.lastError,
        got?.deliveredAt?.toISOString(),
        got?.payload,
      ],
      ['delivered', 2, 200, null, at(2).toISOString(), { x: 1 }],
    );
    assert.deepEqual(
      (await store.deliveries.attempts(first.id)).map((a) => [
        a.attempt,
        a.statusCode,
        a.error,
        a.durationMs,
      ]),
      [
        [1, 500, 'HTTP 500', 12],
        [2, 200, null, 3],
      ],
    );

    const page1 = await store.deliveries.bySubscription('whk_1', { limit: 2 });
    assert.deepEqual(
      page1.map((d) => d.eventId),
      ['evt_5', 'evt_4'],
    );
    const last = page1.at(-1);
    assert.ok(last);
    const page2 = await store.deliveries.bySubscription('whk_1', {
      limit: 10,
      after: { createdAt: last.createdAt, id: last.id },
    });
    assert.deepEqual(
      page2.map((d) => d.eventId),
      ['evt_3', 'evt_2', 'evt_1'],
    );
  });

  test('subscriptions match their event filter while enabled; secrets are stored as given (sealed by the caller)', async () => {
    const store = createNotifyStore(ctx.database, { clock: createFakeClock(T0) });
    const sub = (id: string, events: string[], enabled = true) => ({
      id,
      url: `https://hooks.example.com/${id}`,
      events: events as never,
      description: '',
      enabled,
      createdBy: 'email:admin@x.com',
      createdAt: T0,
      updatedAt: T0,
    });
    await store.subscriptions.insert(sub('whk_a', ['*']), 'v1.sealed-a');
    await store.subscriptions.insert(sub('whk_b', ['request.approved']), 'v1.sealed-b');
    await store.subscriptions.insert(sub('whk_c', ['*'], false), 'v1.sealed-c');
    assert.deepEqual(
      (await store.subscriptions.matching('request.submitted')).map((s) => s.id),
      ['whk_a'],
    );
    assert.deepEqual(
      (await store.subscriptions.matching('request.approved')).map((s) => s.id),
      ['whk_a', 'whk_b'],
    );
    assert.ok(
      await store.subscriptions.update('whk_c', { enabled: true, secretSealed: 'v1.rotated' }, at(5)),
    );
    assert.equal(await store.subscriptions.sealedSecret('whk_c'), 'v1.rotated');
    assert.deepEqual(
      (await store.subscriptions.matching('grant.expired')).map((s) => s.id),
      ['whk_a', 'whk_c'],
    );
    assert.deepEqual(
      (await store.subscriptions.list({ after: 'whk_a', limit: 1 })).map((s) => s.id),
      ['whk_b'],
    );
    assert.ok(await store.subscriptions.remove('whk_a'));
    assert.equal(await store.subscriptions.get('whk_a'), undefined);
    assert.equal(await store.subscriptions.remove('whk_a'), false);
  });
});
