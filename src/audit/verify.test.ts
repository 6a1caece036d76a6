import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENESIS_HASH, hashAuditRecord, type StoredAuditRecord } from './audit-event.ts';
import type { AuditReader } from './ports.ts';
import { verifyAuditChain } from './verify.ts';

/** A valid chain of `n` records in memory, and a reader over it that counts the rows each query returns. */
function memoryChain(n: number): { records: StoredAuditRecord[]; reader: AuditReader; pages: number[] } {
  const records: StoredAuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = {
      seq,
      at: '2026-11-23T00:00:00.000Z',
      actor: 'system',
      action: 'x.y',
      subject: null,
      data: '{}',
      prevHash,
    };
    prevHash = hashAuditRecord(r);
    records.push({ ...r, hash: prevHash });
  }
  const pages: number[] = [];
  const reader: AuditReader = {
    chainState: async () => ({
      headSeq: n,
      headHash: records.at(-1)?.hash ?? GENESIS_HASH,
      maxStoredSeq: records.at(-1)?.seq ?? 0,
    }),
    async range(afterSeq, toSeq, limit) {
      const page = records.filter((r) => r.seq > afterSeq && r.seq <= toSeq).slice(0, limit);
      pages.push(page.length);
      return page;
    },
    get: async (seq) => records.find((r) => r.seq === seq),
    list: async () => [],
  };
  return { records, reader, pages };
}

test('verifyAuditChain reads the chain one bounded page at a time', async () => {
  const { reader, pages } = memoryChain(2500);
  const result = await verifyAuditChain(reader, { pageSize: 1000 });
  assert.equal(result.ok && result.count, 2500);
  assert.deepEqual(pages, [1000, 1000, 500]);
});

test('verifyAuditChain: an empty chain is valid with the genesis head', async () => {
  const { reader } = memoryChain(0);
  assert.deepEqual(await verifyAuditChain(reader), {
    ok: true,
    count: 0,
    head: { seq: 0, hash: GENESIS_HASH },
  });
});

test('verifyAuditChain: ranges start from the trusted event before `from`; empty ranges check nothing', async () => {
  const { reader, records } = memoryChain(20);
  const head = { seq: 20, hash: records[19]?.hash };
  assert.deepEqual(await verifyAuditChain(reader, { from: 11 }), { ok: true, count: 10, head });
  assert.deepEqual(await verifyAuditChain(reader, { from: 5, to: 9 }), { ok: true, count: 5, head });
  assert.deepEqual(await verifyAuditChain(reader, { from: 30 }), { ok: true, count: 0, head });
  await assert.rejects(verifyAuditChain(reader, { from: 0 }), /from/);
});

test('verifyAuditChain: the first seq must link to the genesis hash', async () => {
  const { reader, records } = memoryChain(3);
  const first = records[0];
  assert.ok(first);
  const forgedPrev = { ...first, prevHash: 'e'.repeat(64) };
  records[0] = { ...forgedPrev, hash: hashAuditRecord(forgedPrev) };
  const result = await verifyAuditChain(reader);
  assert.deepEqual(result, {
    ok: false,
    firstBadSeq: 1,
    reason: "prev_hash does not match the previous event's hash",
  });
});
