// Tamper tests (issue 7): every kind of edit to the stored chain is reported at the first bad seq, on both dialects.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { sql } from 'kysely';
import { hashAuditRecord, type StoredAuditRecord } from '../../src/audit/audit-event.ts';
import { type AuditVerifyResult, verifyAuditChain } from '../../src/audit/verify.ts';
import { appendAuditEvent, createAuditReader } from '../../src/store/audit-events-repo.ts';
import { withTransaction } from '../../src/store/transaction.ts';
import { forEachDialect } from '../support/dialects.ts';

const N = 10;

function badAt(result: AuditVerifyResult): number | undefined {
  return result.ok ? undefined : result.firstBadSeq;
}

forEachDialect('audit chain tampering', (ctx) => {
  const db = () => ctx.database.db;
  const verify = (options = {}) => verifyAuditChain(createAuditReader(db()), { pageSize: 3, ...options });
  const row = async (seq: number) => {
    const r = await createAuditReader(db()).get(seq);
    assert.ok(r, `row ${seq}`);
    return r;
  };

  const insertForged = (r: Omit<StoredAuditRecord, 'hash'>) =>
    db()
      .insertInto('audit_events')
      .values({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        data: r.data,
        prev_hash: r.prevHash,
        hash: hashAuditRecord(r),
      })
      .execute();
  /** Edits event 5 and recomputes every later link, as an attacker with SQL access would; returns the last hash. */
  const forgeEventFive = async () => {
    let prev = (await row(4)).hash;
    for (let seq = 5; seq <= N; seq++) {
      const r = await row(seq);
      const data = seq === 5 ? '{"approvals":0,"note":"forged"}' : r.data;
      const hash = hashAuditRecord({ ...r, data, prevHash: prev });
      await sql`update audit_events set data = ${data}, prev_hash = ${prev}, hash = ${hash} where seq = ${seq}`.execute(
        db(),
      );
      prev = hash;
    }
    return prev;
  };
  const seed = async () => {
    await ctx.reset();
    for (let i = 1; i <= N; i++) {
      await withTransaction(db(), (tx) =>
        appendAuditEvent(tx, {
          at: new Date(Date.UTC(2026, 10, 23, 9, 0, i)),
          actor: i === 1 ? 'system' : `usr_${i}`,
          action: 'request.approved',
          subject: `req_${i}`,
          data: { approvals: i, note: `event ${i}` },
        }),
      );
    }
  };

  beforeEach(seed);

  test('the untouched chain verifies, in pages and in ranges', async () => {
    const result = await verify();
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.count, N);
    assert.deepEqual(result.ok && result.head, { seq: N, hash: (await row(N)).hash });
    assert.deepEqual(await verify({ from: 4, to: 6 }), { ...result, count: 3 });
  });

  test('edited data is reported at its seq', async () => {
    await sql`update audit_events set data = ${'{"approvals":4,"note":"event 4 (edited)"}'} where seq = 4`.execute(
      db(),
    );
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: 4,
      reason: "hash does not match the event's contents",
    });
    // A range that stops before the edit still verifies; one that covers it does not.
    assert.equal((await verify({ to: 3 })).ok, true);
    assert.equal(badAt(await verify({ from: 4, to: 4 })), 4);
  });

  test('an edited actor, action, subject or time is reported at its seq', async () => {
    const edits = [
      sql`update audit_events set actor = ${'usr_mallory'} where seq = 2`,
      sql`update audit_events set action = ${'request.rejected'} where seq = 2`,
      sql`update audit_events set subject = ${'req_other'} where seq = 2`,
      sql`update audit_events set at = ${'2026-11-23T08:00:00.000Z'} where seq = 2`,
    ];
    for (const edit of edits) {
      await seed();
      await edit.execute(db());
      assert.equal(badAt(await verify()), 2);
    }
  });

  test('an edited hash is reported at its seq', async () => {
    await sql`update audit_events set hash = ${'f'.repeat(64)} where seq = 6`.execute(db());
    assert.equal(badAt(await verify()), 6);
  });

  test('a consistently re-hashed tail is caught by the chain head', async () => {
    await forgeEventFive(); // the head row is untouched
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: N,
      reason: "hash does not match the chain head's hash",
    });
  });

  test('an edited chain head is reported at the last seq', async () => {
    await sql`update audit_chain_head set hash = ${'a'.repeat(64)}`.execute(db());
    assert.equal(badAt(await verify()), N);
  });

  test('a deleted middle row is reported at its seq', async () => {
    await sql`delete from audit_events where seq = 5`.execute(db());
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: 5,
      reason: 'row missing (next stored row is seq 6)',
    });
  });

  test('a deleted last row is reported against the chain head', async () => {
    await sql`delete from audit_events where seq = ${N}`.execute(db());
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: N,
      reason: `row missing (the chain head is seq ${N})`,
    });
  });

  test('truncating the tail and rewinding the head is only caught by an anchor', async () => {
    const anchored = (await row(N)).hash;
    const nine = await row(N - 1);
    await sql`delete from audit_events where seq = ${N}`.execute(db());
    await sql`update audit_chain_head set seq = ${N - 1}, hash = ${nine.hash}`.execute(db());
    const result = await verify();
    // The database alone is self-consistent again; the operator's anchor (docs/audit.md) disagrees.
    assert.equal(result.ok, true);
    assert.notEqual(result.ok && result.head.hash, anchored);
    assert.equal(result.ok && result.head.seq, N - 1);
    assert.deepEqual(await verify({ anchor: { seq: N, hash: anchored } }), {
      ok: false,
      firstBadSeq: N,
      reason: `chain ends at seq ${N - 1}, before the anchored seq ${N}`,
    });
  });

  test('a re-hashed tail with a rewritten head is caught by an earlier anchor', async () => {
    const anchor = { seq: 7, hash: (await row(7)).hash };
    assert.equal((await verify({ anchor })).ok, true);
    const prev = await forgeEventFive();
    await sql`update audit_chain_head set hash = ${prev}`.execute(db());
    assert.equal((await verify()).ok, true);
    assert.deepEqual(await verify({ anchor }), {
      ok: false,
      firstBadSeq: 7,
      reason: 'hash differs from the anchored hash: the chain was rewritten',
    });
  });

  test('a forged row appended after the head is reported, even with a correct hash', async () => {
    const last = await row(N);
    const forged = {
      seq: N + 1,
      at: '2026-11-23T09:59:00.000Z',
      actor: 'usr_mallory',
      action: 'grant.revoked',
      subject: 'grt_x',
      data: '{}',
      prevHash: last.hash,
    };
    await insertForged(forged);
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: N + 1,
      reason: `row beyond the chain head (seq ${N}): inserted`,
    });
  });

  test('a forged row inserted in the middle (later rows renumbered) is reported where the chain breaks', async () => {
    await sql`update audit_events set seq = seq + 1000 where seq >= 6`.execute(db());
    await sql`update audit_events set seq = seq - 999 where seq >= 1000`.execute(db());
    const forged = {
      seq: 6,
      at: '2026-11-23T09:00:05.500Z',
      actor: 'usr_mallory',
      action: 'request.approved',
      subject: 'req_evil',
      data: '{}',
      prevHash: (await row(5)).hash,
    };
    await insertForged(forged);
    // The forged row links correctly to 5; the renumbered old row 6 (now 7) no longer links to it.
    assert.deepEqual(await verify(), {
      ok: false,
      firstBadSeq: 7,
      reason: "prev_hash does not match the previous event's hash",
    });
  });

  test('two swapped rows are reported at the first of them', async () => {
    for (const [a, b] of [
      [3, 8],
      [4, 5],
    ] as const) {
      await ctx.reset();
      for (let i = 1; i <= N; i++)
        await withTransaction(db(), (tx) =>
          appendAuditEvent(tx, {
            at: new Date(0),
            actor: 'system',
            action: 'x.y',
            subject: null,
            data: { i },
          }),
        );
      await sql`update audit_events set seq = -1 where seq = ${a}`.execute(db());
      await sql`update audit_events set seq = ${a} where seq = ${b}`.execute(db());
      await sql`update audit_events set seq = ${b} where seq = -1`.execute(db());
      assert.equal(badAt(await verify()), a, `swap ${a}<->${b}`);
    }
  });

  test('data that is not JSON any more is reported, not thrown', async () => {
    await sql`update audit_events set data = ${'{not json'} where seq = 3`.execute(db());
    assert.deepEqual(await verify(), { ok: false, firstBadSeq: 3, reason: 'data is not valid JSON' });
  });
});
