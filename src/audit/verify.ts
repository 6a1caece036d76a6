import { GENESIS_HASH, hashAuditRecord, type StoredAuditRecord } from './audit-event.ts';
import type { AuditReader } from './ports.ts';

/** The outcome of `verifyAuditChain`. A broken chain is a result, not an exception. */
export type AuditVerifyResult =
  | {
      readonly ok: true;
      /** Events checked. */
      readonly count: number;
      /** The stored chain head (for anchoring: keep `hash` somewhere the database's admins cannot write). */
      readonly head: { readonly seq: number; readonly hash: string };
    }
  | { readonly ok: false; readonly firstBadSeq: number; readonly reason: string };

/** Options for `verifyAuditChain`. */
export interface AuditVerifyOptions {
  /** First seq to check (default 1). The event before it is trusted as the starting point. */
  readonly from?: number;
  /** Last seq to check (default: the chain head). Only a check reaching the head compares it with the last row. */
  readonly to?: number;
  /** Rows read per query (default 1000): memory stays bounded by one page whatever the chain length. */
  readonly pageSize?: number;
  /** A head recorded earlier outside the database (docs/audit.md, anchoring): event `seq` must still have `hash`. */
  readonly anchor?: { readonly seq: number; readonly hash: string };
}

/**
 * Walks the stored events from `from` to `to` in seq order and checks every link: seq has no gap and no
 * duplicate, `prevHash` equals the previous event's hash (`GENESIS_HASH` before seq 1), `hash` matches the
 * recomputed SHA-256, and — when the walk reaches the head — the last event equals the chain head and no row
 * lies beyond it. Detects edited, deleted, inserted and reordered rows; a rewrite of the whole chain *and* its
 * head is only caught with an `anchor`, a head hash recorded earlier elsewhere (docs/audit.md). Reads one page at a time
 * and sees events appended after it started as beyond its range. Rethrows database errors.
 */
export async function verifyAuditChain(
  reader: AuditReader,
  { from = 1, to, pageSize = 1000, anchor }: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  if (!Number.isSafeInteger(from) || from < 1)
    throw new Error('verifyAuditChain: `from` must be an integer ≥ 1');
  if (to !== undefined && (!Number.isSafeInteger(to) || to < 0))
    throw new Error('verifyAuditChain: `to` must be an integer ≥ 0');
  const state = await reader.chainState();
  const end = Math.min(to ?? state.headSeq, state.headSeq);
  const head = { seq: state.headSeq, hash: state.headHash };

  let prevHash = GENESIS_HASH;
  if (from > 1 && from <= end) {
    const before = await reader.get(from - 1);
    if (before === undefined) return bad(from - 1, 'row missing (the event before `from`)');
    prevHash = before.hash;
  }

  let expected = from;
  while (expected <= end) {
    const page = await reader.range(expected - 1, end, pageSize);
    if (page.length === 0) return bad(expected, `row missing (the chain head is seq ${state.headSeq})`);
    for (const record of page) {
      const problem = checkLink(record, expected, prevHash);
      if (problem !== undefined) return bad(problem.seq, problem.reason);
      prevHash = record.hash;
      expected++;
    }
  }

  if (end === state.headSeq && from <= end + 1) {
    if (prevHash !== state.headHash && end >= from)
      return bad(end, "hash does not match the chain head's hash");
    if (from === 1 && end === 0 && state.headHash !== GENESIS_HASH)
      return bad(1, 'the chain head is empty but its hash is not the genesis hash');
    if (state.maxStoredSeq > state.headSeq)
      return bad(state.headSeq + 1, `row beyond the chain head (seq ${state.headSeq}): inserted`);
  }
  if (anchor !== undefined) {
    if (anchor.seq > state.headSeq)
      return bad(
        state.headSeq + 1,
        `chain ends at seq ${state.headSeq}, before the anchored seq ${anchor.seq}`,
      );
    const anchored = await reader.get(anchor.seq);
    if (anchored?.hash !== anchor.hash.toLowerCase())
      return bad(anchor.seq, 'hash differs from the anchored hash: the chain was rewritten');
  }
  return { ok: true, count: Math.max(0, end - from + 1), head };
}

function checkLink(
  record: StoredAuditRecord,
  expected: number,
  prevHash: string,
): { seq: number; reason: string } | undefined {
  if (record.seq > expected)
    return { seq: expected, reason: `row missing (next stored row is seq ${record.seq})` };
  if (record.seq < expected) return { seq: record.seq, reason: 'row out of order or duplicated' };
  if (record.prevHash !== prevHash)
    return { seq: expected, reason: "prev_hash does not match the previous event's hash" };
  let computed: string;
  try {
    computed = hashAuditRecord(record);
  } catch {
    return { seq: expected, reason: 'data is not valid JSON' };
  }
  if (computed !== record.hash) return { seq: expected, reason: "hash does not match the event's contents" };
  return undefined;
}

function bad(firstBadSeq: number, reason: string): AuditVerifyResult {
  return { ok: false, firstBadSeq, reason };
}
