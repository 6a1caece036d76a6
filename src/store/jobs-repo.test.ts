import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { createFakeClock, SECOND } from '../lib/clock.ts';
import { createJobQueue, createJobStore, enqueueJob, pruneSucceededJobs } from './jobs-repo.ts';
import { withTransaction } from './transaction.ts';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const claimOpts = { types: ['t'], leaseMs: 30 * SECOND, limit: 10 };

forEachDialect('jobs repo', (ctx) => {
  beforeEach(() => ctx.reset());

  test('a taken dedupe key makes enqueue a no-op that returns the existing job', async () => {
    const db = ctx.database.db;
    const first = await enqueueJob(db, { type: 't', payload: { n: 1 }, dedupeKey: 'expire:grt_1' }, T0);
    const again = await enqueueJob(db, { type: 't', payload: { n: 2 }, dedupeKey: 'expire:grt_1' }, at(5));
    assert.deepEqual(again, { id: first.id, created: false });
    const noKey = await enqueueJob(db, { type: 't', payload: 1 }, T0);
    const noKey2 = await enqueueJob(db, { type: 't', payload: 1 }, T0);
    assert.ok(noKey.created && noKey2.created && noKey.id !== noKey2.id);
    const rows = await db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('dedupe_key', '=', 'expire:grt_1')
      .execute();
    assert.deepEqual(rows, [{ id: first.id, payload: '{"n":1}' }]);
  });

  test("enqueue joins the caller's transaction: rolled back with it", async () => {
    const db = ctx.database.db;
    await assert.rejects(
      withTransaction(db, async (tx) => {
        await enqueueJob(tx, { type: 't', payload: {}, dedupeKey: 'k' }, T0);
        throw new Error('state change failed');
      }),
      /state change failed/,
    );
    assert.equal((await db.selectFrom('jobs').selectAll().execute()).length, 0);
    await withTransaction(db, (tx) => enqueueJob(tx, { type: 't', payload: {}, dedupeKey: 'k' }, T0));
    assert.equal((await db.selectFrom('jobs').selectAll().execute()).length, 1);
  });

  test('claim takes due jobs of its types earliest first, leases them and counts the attempt', async () => {
    const db = ctx.database.db;
    const store = createJobStore(ctx.database);
    for (const [name, ms] of [
      ['c', 3000],
      ['a', 1000],
      ['later', 60_000],
      ['b', 2000],
    ] as const) {
      await enqueueJob(db, { type: 't', payload: name, runAt: at(ms) }, T0);
    }
    await enqueueJob(db, { type: 'other', payload: 'x', runAt: T0 }, T0);
    assert.deepEqual(await store.nextDueAt(['t']), at(1000));
    const claimed = await store.claim({ ...claimOpts, owner: 'w1', now: at(5000) });
    assert.deepEqual(
      claimed.map((j) => j.payload),
      ['a', 'b', 'c'],
    );
    for (const j of claimed) {
      assert.equal(j.status, 'running');
      assert.equal(j.attempts, 1);
      assert.equal(j.leaseOwner, 'w1');
      assert.deepEqual(j.leaseExpiresAt, at(35_000));
    }
    assert.deepEqual(await store.claim({ ...claimOpts, owner: 'w2', now: at(5000) }), []);
    // The next instant something becomes claimable: the leases expire before the later job is due.
    assert.deepEqual(await store.nextDueAt(['t']), at(35_000));
    assert.deepEqual(await store.nextDueAt([]), undefined);
  });

  test('an expired lease is taken over, and the old holder can no longer record an outcome', async () => {
    const db = ctx.database.db;
    const store = createJobStore(ctx.database);
    const { id } = await enqueueJob(db, { type: 't', payload: {} }, T0);
    assert.equal((await store.claim({ ...claimOpts, owner: 'crashed', now: T0 })).length, 1);
    assert.deepEqual(await store.claim({ ...claimOpts, owner: 'w2', now: at(29_999) }), []);
    const [taken] = await store.claim({ ...claimOpts, owner: 'w2', now: at(30_000) });
    assert.equal(taken?.id, id);
    assert.equal(taken?.attempts, 2);
    assert.equal(await store.renewLease(id, 'crashed', at(90_000), at(30_001)), false);
    assert.equal(await store.complete(id, 'crashed', at(30_001)), false);
    assert.equal(await store.renewLease(id, 'w2', at(90_000), at(30_001)), true);
    assert.equal(await store.complete(id, 'w2', at(30_002)), true);
    const row = await createJobQueue(db, { clock: createFakeClock(T0) }).get({ id });
    assert.equal(row?.status, 'succeeded');
  });

  test('completions arriving together are recorded together, each only for the lease holder', async () => {
    const db = ctx.database.db;
    const store = createJobStore(ctx.database);
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await enqueueJob(db, { type: 't', payload: n }, T0)).id);
    assert.equal((await store.claim({ ...claimOpts, owner: 'w1', now: T0 })).length, 5);
    const results = await Promise.all([
      ...ids.slice(0, 4).map((id, n) => store.complete(id, 'w1', at(1000 + n))),
      store.complete(ids[4] ?? '', 'w2', at(1000)),
    ]);
    assert.deepEqual(results, [true, true, true, true, false]);
    const rows = await db.selectFrom('jobs').select(['id', 'status', 'updated_at']).execute();
    const status = new Map(rows.map((r) => [r.id, r.status]));
    assert.deepEqual(
      ids.map((id) => status.get(id)),
      ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'running'],
    );
  });

  test('fail schedules a retry or dead-letters; release gives the job back without counting the attempt', async () => {
    const db = ctx.database.db;
    const store = createJobStore(ctx.database);
    const queue = createJobQueue(db, { clock: createFakeClock(T0) });
    const { id } = await enqueueJob(db, { type: 't', payload: {} }, T0);
    await store.claim({ ...claimOpts, owner: 'w', now: T0 });
    assert.equal(await store.fail(id, 'w', 'Error: throttled', { retryAt: at(4000) }, at(1)), true);
    assert.deepEqual(pick(await queue.get({ id })), {
      status: 'pending',
      attempts: 1,
      runAt: at(4000),
      lastError: 'Error: throttled',
    });
    await store.claim({ ...claimOpts, owner: 'w', now: at(4000) });
    assert.equal(await store.release(id, 'w', at(4001)), true);
    assert.deepEqual(pick(await queue.get({ id })), {
      status: 'pending',
      attempts: 1,
      runAt: at(4000),
      lastError: 'Error: throttled',
    });
    await store.claim({ ...claimOpts, owner: 'w', now: at(5000) });
    assert.equal(await store.fail(id, 'w', 'Error: gone', { dead: true }, at(5001)), true);
    assert.deepEqual(pick(await queue.get({ id })), {
      status: 'dead',
      attempts: 2,
      runAt: at(4000),
      lastError: 'Error: gone',
    });
  });

  test('cancel deletes a pending job and frees its key; reschedule moves it or revives a dead one', async () => {
    const db = ctx.database.db;
    const queue = createJobQueue(db, { clock: createFakeClock(T0) });
    const store = createJobStore(ctx.database);
    const first = await queue.enqueue({
      type: 't',
      payload: {},
      dedupeKey: 'expire:grt_9',
      runAt: at(60_000),
    });
    assert.equal(await queue.reschedule({ dedupeKey: 'expire:grt_9' }, at(120_000)), true);
    assert.deepEqual((await queue.get({ id: first.id }))?.runAt, at(120_000));
    assert.equal(await queue.cancel({ dedupeKey: 'expire:grt_9' }), true);
    assert.equal(await queue.get({ id: first.id }), undefined);
    assert.equal(await queue.cancel({ dedupeKey: 'expire:grt_9' }), false);
    const second = await queue.enqueue({ type: 't', payload: {}, dedupeKey: 'expire:grt_9' });
    assert.equal(second.created, true);
    // Running jobs can be neither cancelled nor rescheduled.
    await store.claim({ ...claimOpts, owner: 'w', now: T0 });
    assert.equal(await queue.cancel({ id: second.id }), false);
    assert.equal(await queue.reschedule({ id: second.id }, at(1)), false);
    await store.fail(second.id, 'w', 'Error: x', { dead: true }, T0);
    assert.equal(await queue.reschedule({ id: second.id }, at(10)), true);
    assert.deepEqual(pick(await queue.get({ id: second.id })), {
      status: 'pending',
      attempts: 0,
      runAt: at(10),
      lastError: 'Error: x',
    });
  });

  test('enqueue tells onEnqueued about new jobs only', async () => {
    const seen: Date[] = [];
    const queue = createJobQueue(ctx.database.db, {
      clock: createFakeClock(T0),
      onEnqueued: (d) => seen.push(d),
    });
    await queue.enqueue({ type: 't', payload: {}, dedupeKey: 'once', runAt: at(7) });
    await queue.enqueue({ type: 't', payload: {}, dedupeKey: 'once', runAt: at(7) });
    await queue.enqueue({ type: 't', payload: {} });
    assert.deepEqual(seen, [at(7), T0]);
    await assert.rejects(queue.enqueue({ type: 't', payload: undefined }), /payload is not JSON/);
  });

  test('prune deletes only succeeded jobs finished before the cutoff', async () => {
    const db = ctx.database.db;
    const store = createJobStore(ctx.database);
    const done = await enqueueJob(db, { type: 't', payload: {}, dedupeKey: 'old' }, T0);
    const recent = await enqueueJob(db, { type: 't', payload: {}, dedupeKey: 'recent' }, T0);
    const dead = await enqueueJob(db, { type: 't', payload: {} }, T0);
    const pending = await enqueueJob(db, { type: 't', payload: {}, runAt: at(99_000) }, T0);
    await store.claim({ ...claimOpts, owner: 'w', now: T0 });
    await store.complete(done.id, 'w', at(1000));
    await store.complete(recent.id, 'w', at(60_000));
    await store.fail(dead.id, 'w', 'Error: x', { dead: true }, at(1000));
    assert.equal(await pruneSucceededJobs(db, at(30_000)), 1);
    const left = (await db.selectFrom('jobs').select('id').execute()).map((r) => r.id).sort();
    assert.deepEqual(left, [recent.id, dead.id, pending.id].sort());
    assert.equal(
      (await enqueueJob(db, { type: 't', payload: {}, dedupeKey: 'old' }, at(40_000))).created,
      true,
    );
  });
});

function pick(job: { status: string; attempts: number; runAt: Date; lastError: string | null } | undefined) {
  assert.ok(job);
  return { status: job.status, attempts: job.attempts, runAt: job.runAt, lastError: job.lastError };
}
