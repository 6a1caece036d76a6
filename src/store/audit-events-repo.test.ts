import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { forEachDialect } from '../../test/support/dialects.ts';
import { GENESIS_HASH, hashAuditRecord, type NewAuditEvent } from '../audit/audit-event.ts';
import { exportAuditEvents, listAuditEvents } from '../audit/query.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { appendAuditEvent, createAuditLog, createAuditReader } from './audit-events-repo.ts';
import type { Db } from './db.ts';
import { withTransaction } from './transaction.ts';

const T0 = new Date('2026-11-23T10:00:00.000Z');

function event(i: number, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    at: new Date(T0.getTime() + i * 1000),
    actor: i % 2 === 0 ? 'usr_alice' : 'system',
    action: i % 3 === 0 ? 'request.approved' : 'request.submitted',
    subject: `req_${i % 4}`,
    data: { i },
    ...overrides,
  };
}

forEachDialect('audit events repo', (ctx) => {
  const db = () => ctx.database.db;
  const append = (e: NewAuditEvent) => withTransaction(db(), (tx) => appendAuditEvent(tx, e));

  beforeEach(() => ctx.reset());

  test('appends get seq 1, 2, 3… each linked to the previous hash; verify accepts the chain', async () => {
    const events = [];
    for (let i = 1; i <= 5; i++) events.push(await append(event(i)));
    assert.deepEqual(
      events.map((e) => e.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(events[0]?.prevHash, GENESIS_HASH);
    for (let i = 1; i < events.length; i++) assert.equal(events[i]?.prevHash, events[i - 1]?.hash);
    const stored = await createAuditReader(db()).get(3);
    assert.ok(stored);
    assert.equal(hashAuditRecord(stored), events[2]?.hash);
    assert.deepEqual(await verifyAuditChain(createAuditReader(db())), {
      ok: true,
      count: 5,
      head: { seq: 5, hash: events[4]?.hash },
    });
  });

  test('data is stored as canonical JSON (sorted keys, undefined members dropped)', async () => {
    const e = await append(event(1, { data: { zeta: 1, alpha: { b: 2, a: 1 }, gone: undefined } }));
    const row = await db()
      .selectFrom('audit_events')
      .select('data')
      .where('seq', '=', e.seq)
      .executeTakeFirst();
    assert.equal(row?.data, '{"alpha":{"a":1,"b":2},"zeta":1}');
    assert.deepEqual(e.data, { alpha: { a: 1, b: 2 }, zeta: 1 });
  });

  test('a rolled-back transaction leaves no gap and no row', async () => {
    await append(event(1));
    await assert.rejects(
      withTransaction(db(), async (tx) => {
        await createAuditLog(tx).append(event(2));
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    const third = await append(event(3));
    assert.equal(third.seq, 2);
    const seqs = (await db().selectFrom('audit_events').select('seq').orderBy('seq').execute()).map((r) =>
      Number(r.seq),
    );
    assert.deepEqual(seqs, [1, 2]);
    assert.equal((await verifyAuditChain(createAuditReader(db()))).ok, true);
  });

  test('refuses to append outside a transaction, and refuses invalid events without writing', async () => {
    await assert.rejects(
      // A plain connection where a transaction belongs, as an untyped caller could pass.
      appendAuditEvent(db() as unknown as Transaction<Db>, event(1)),
      /inside the transaction/,
    );
    await assert.rejects(append(event(1, { action: 'Approved!' })), /invalid action/);
    await assert.rejects(append(event(1, { actor: '' })), /actor/);
    await assert.rejects(append(event(1, { data: { n: Number.NaN } })), /finite/);
    const n = await db()
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    assert.equal(Number(n?.n), 0);
  });

  test('a missing head row with events present stops appends (fail closed) instead of forking the chain', async () => {
    await append(event(1));
    await append(event(2));
    await sql`delete from audit_chain_head`.execute(db());
    await assert.rejects(append(event(3)));
    const result = await verifyAuditChain(createAuditReader(db()));
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.firstBadSeq, 1);
  });

  test('listAuditEvents filters by actor, action, subject and time, and pages with a cursor', async () => {
    for (let i = 1; i <= 12; i++) await append(event(i));
    const reader = createAuditReader(db());
    const first = await listAuditEvents(reader, { actor: 'usr_alice', limit: 4 });
    assert.deepEqual(
      first.events.map((e) => e.seq),
      [2, 4, 6, 8],
    );
    assert.ok(first.nextCursor);
    const second = await listAuditEvents(reader, { actor: 'usr_alice', limit: 4, after: first.nextCursor });
    assert.deepEqual(
      second.events.map((e) => e.seq),
      [10, 12],
    );
    assert.equal(second.nextCursor, undefined);
    const approved = await listAuditEvents(reader, { action: 'request.approved', subject: 'req_1' });
    assert.deepEqual(
      approved.events.map((e) => e.seq),
      [9],
    );
    const window = await listAuditEvents(reader, {
      since: new Date(T0.getTime() + 3000),
      until: new Date(T0.getTime() + 6000),
    });
    assert.deepEqual(
      window.events.map((e) => e.seq),
      [3, 4, 5],
    );
    assert.equal(window.events[0]?.at.toISOString(), '2026-11-23T10:00:03.000Z');
    await assert.rejects(listAuditEvents(reader, { after: 'bogus' }), { code: 'InvalidInput' });
    await assert.rejects(listAuditEvents(reader, { limit: 0 }), { code: 'InvalidInput' });
  });

  test('exportAuditEvents writes one canonical JSON line per event, enough to recompute each hash', async () => {
    for (let i = 1; i <= 7; i++) await append(event(i));
    const lines: string[] = [];
    const count = await exportAuditEvents(
      createAuditReader(db()),
      { since: new Date(T0.getTime() + 2000) },
      (line) => {
        lines.push(line);
      },
      { pageSize: 2 },
    );
    assert.equal(count, 6);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      parsed.map((p) => p.seq),
      [2, 3, 4, 5, 6, 7],
    );
    assert.ok(lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n')));
    const p = parsed[0] ?? {};
    assert.deepEqual(Object.keys(p), [
      'action',
      'actor',
      'at',
      'data',
      'hash',
      'prev_hash',
      'seq',
      'subject',
    ]);
    const recomputed = hashAuditRecord({
      seq: p.seq as number,
      at: p.at as string,
      actor: p.actor as string,
      action: p.action as string,
      subject: p.subject as string,
      data: JSON.stringify(p.data),
      prevHash: p.prev_hash as string,
    });
    assert.equal(recomputed, p.hash);
  });

  test('appendMany links a batch in order after earlier events (across INSERT chunks); verify accepts it', async () => {
    await append(event(1));
    const batch = Array.from({ length: 1203 }, (_, i) => event(i + 2));
    const appended = await withTransaction(db(), (tx) => createAuditLog(tx).appendMany(batch));
    assert.equal(appended.length, 1203);
    assert.deepEqual([appended[0]?.seq, appended.at(-1)?.seq], [2, 1204]);
    assert.deepEqual(
      appended.map((e) => (e.data as { i: number }).i),
      batch.map((e) => (e.data as { i: number }).i),
    );
    const after = await append(event(9999));
    assert.equal(after.seq, 1205);
    assert.equal(after.prevHash, appended.at(-1)?.hash);
    const reader = createAuditReader(db());
    assert.equal((await reader.get(700))?.hash, appended[698]?.hash);
    assert.deepEqual(await verifyAuditChain(reader), {
      ok: true,
      count: 1205,
      head: { seq: 1205, hash: after.hash },
    });
  });

  test('appendMany writes nothing when one event of the batch is invalid, and nothing for an empty batch', async () => {
    await assert.rejects(
      withTransaction(db(), (tx) =>
        createAuditLog(tx).appendMany([event(1), event(2, { action: 'Not An Action' })]),
      ),
      /audit event: invalid action "Not An Action"/,
    );
    assert.deepEqual(await withTransaction(db(), (tx) => createAuditLog(tx).appendMany([])), []);
    assert.equal((await createAuditReader(db()).chainState()).headSeq, 0);
    assert.equal((await append(event(3))).seq, 1);
  });

  test('appendMany enqueues the outbox jobs of every notifiable event of the batch', async () => {
    const appended = await withTransaction(db(), (tx) =>
      createAuditLog(tx).appendMany([
        { at: T0, actor: 'system', action: 'grant.expired', subject: 'grt_a', data: {} },
        { at: T0, actor: 'system', action: 'token.minted', subject: null, data: {} },
        { at: T0, actor: 'system', action: 'grant.expired', subject: 'grt_b', data: {} },
      ]),
    );
    const jobs = await db().selectFrom('jobs').select(['type', 'dedupe_key']).orderBy('dedupe_key').execute();
    assert.deepEqual(jobs, [
      { type: 'notify.dispatch', dedupe_key: `notify:evt_${appended[0]?.seq}` },
      { type: 'notify.dispatch', dedupe_key: `notify:evt_${appended[2]?.seq}` },
    ]);
  });
});
