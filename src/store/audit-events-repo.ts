import { PostgresAdapter, sql, type Transaction } from 'kysely';
import {
  type AuditEvent,
  GENESIS_HASH,
  hashAuditRecord,
  type NewAuditEvent,
  prepareAuditEvent,
  type StoredAuditRecord,
} from '../audit/audit-event.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditChainState, AuditFilter, AuditLog, AuditReader } from '../audit/ports.ts';
import { outboxJobs } from '../notify/outbox.ts';
import { noteAppended } from './audit-commit.ts';
import type { AuditEventRow } from './audit-events.table.ts';
import type { Db, DbExecutor } from './db.ts';
import { enqueueJobs } from './jobs-repo.ts';

/** Options of the outbox written with each audit append. */
export interface OutboxOptions {
  /** Called with the due time of each outbox job inserted (e.g. `runner.wake`); before the commit. */
  readonly onEnqueued?: (runAt: Date) => void;
}

/**
 * Appends `event` to the audit chain inside the caller's transaction `tx` and returns it with its seq and hashes.
 * The chain head row is locked by an `UPDATE … RETURNING` (on Postgres a row lock held until `tx` ends — what
 * `SELECT … FOR UPDATE` would take; SQLite has one writer), so concurrent appends from any number of connections
 * or processes get consecutive seqs in commit order, and a rollback leaves no gap. Throws Error when `tx` is not a
 * transaction or the event is invalid; rethrows database errors (e.g. a seq that already exists because the head
 * row was tampered with: fail closed). A notifiable event also writes its outbox jobs (`outboxJobs`: notification
 * dispatch, the grant-expiring reminder) in `tx`, so a notification exists exactly when its event commits.
 */
export async function appendAuditEvent(
  tx: Transaction<Db>,
  event: NewAuditEvent,
  outbox: OutboxOptions = {},
): Promise<AuditEvent> {
  const [appended] = await appendAuditEvents(tx, [event], outbox);
  if (appended === undefined) throw new Error('audit append returned nothing');
  return appended;
}

/** Rows per multi-row INSERT (well under SQLite's 32,766 bound parameters at 8 columns a row). */
const INSERT_CHUNK = 500;

/**
 * Appends `events` as consecutive links, in order, as `appendAuditEvent` does one: the head is advanced by their
 * count in one locked UPDATE, the rows go in multi-row INSERTs, and their outbox jobs in one more. A batch of N costs
 * about as many statements as one event. Validates every event before writing anything. Returns them appended.
 */
export async function appendAuditEvents(
  tx: Transaction<Db>,
  events: readonly NewAuditEvent[],
  outbox: OutboxOptions = {},
): Promise<AuditEvent[]> {
  if (!tx.isTransaction) throw new Error('appendAuditEvent must run inside the transaction of the change');
  if (events.length === 0) return [];
  const prepared = events.map(prepareAuditEvent);
  const last = await advanceHead(tx, events.length);
  let prevHash = last.prevHash;
  const rows = events.map((event, i) => {
    const seq = last.seq - events.length + 1 + i;
    const p = prepared[i] as { at: string; data: string };
    const record = {
      seq,
      at: p.at,
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      data: p.data,
      prevHash,
    };
    const hash = hashAuditRecord(record);
    const row = { ...record, prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  const toRow = ({ seq, at, actor, action, subject, data, prev_hash, hash }: (typeof rows)[number]) => ({
    seq,
    at,
    actor,
    action,
    subject,
    data,
    prev_hash,
    hash,
  });
  const headHash = prevHash;
  const chunks: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) chunks.push(rows.slice(i, i + INSERT_CHUNK));
  const lastChunk = chunks.pop() ?? [];
  for (const chunk of chunks) await tx.insertInto('audit_events').values(chunk.map(toRow)).execute();
  if (tx.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement (a data-modifying CTE) for both writes: the head row stays locked until commit, so every
    // round trip saved here shortens the queue of concurrent appends.
    await tx
      .with('appended', (db) => db.insertInto('audit_events').values(lastChunk.map(toRow)))
      .updateTable('audit_chain_head')
      .set({ hash: headHash })
      .where('id', '=', 1)
      .execute();
  } else {
    await tx.insertInto('audit_events').values(lastChunk.map(toRow)).execute();
    await tx.updateTable('audit_chain_head').set({ hash: headHash }).where('id', '=', 1).execute();
  }
  const appended: AuditEvent[] = rows.map((r) => ({
    seq: r.seq,
    at: new Date(r.at),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    data: JSON.parse(r.data) as JsonObject,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  const jobs = appended.flatMap((e) => outboxJobs(e).map((job) => ({ job, now: e.at })));
  for (const job of await enqueueJobs(tx, jobs)) outbox.onEnqueued?.(job.runAt ?? new Date());
  return appended;
}

/**
 * Advances the head's seq by `count` under its row lock and returns the new last seq with the hash before it;
 * recreates a missing head row (e.g. after a test truncate).
 */
async function advanceHead(tx: Transaction<Db>, count: number): Promise<{ seq: number; prevHash: string }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const head = await tx
      .updateTable('audit_chain_head')
      .set({ seq: sql<number>`seq + ${count}` })
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
    if (head !== undefined) return { seq: Number(head.seq), prevHash: head.hash };
    // No head row: start a chain at seq 1. If events exist the insert of seq 1 fails, so a deleted head row
    // stops appends instead of silently forking the chain. A concurrent creator wins; we then retry the update.
    const created = await tx
      .insertInto('audit_chain_head')
      .values({ id: 1, seq: count, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning(['seq', 'hash'])
      .executeTakeFirst();
    if (created !== undefined) return { seq: count, prevHash: GENESIS_HASH };
  }
  throw new Error('audit chain head row could not be locked');
}

/**
 * The `AuditLog` port bound to one open transaction (with the outbox options, e.g. the runner's wake-up). Appended
 * events are noted on the transaction, so listeners registered with `onAuditCommitted` see them once
 * `withTransaction` has committed it (never on rollback).
 */
export function createAuditLog(tx: Transaction<Db>, outbox: OutboxOptions = {}): AuditLog {
  return {
    append: async (event) => {
      const appended = await appendAuditEvent(tx, event, outbox);
      noteAppended(tx, appended);
      return appended;
    },
    appendMany: async (events) => {
      const appended = await appendAuditEvents(tx, events, outbox);
      for (const e of appended) noteAppended(tx, e);
      return appended;
    },
  };
}

function toRecord(row: AuditEventRow): StoredAuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The `AuditReader` port over a connection or a transaction. */
export function createAuditReader(db: DbExecutor): AuditReader {
  return {
    async chainState(): Promise<AuditChainState> {
      // One statement, so the head and the highest stored seq come from the same snapshot even while appends run.
      const row = await db
        .selectFrom('audit_events')
        .select((eb) => [
          eb.fn.max('seq').as('max_seq'),
          eb.selectFrom('audit_chain_head').select('seq').where('id', '=', 1).as('head_seq'),
          eb.selectFrom('audit_chain_head').select('hash').where('id', '=', 1).as('head_hash'),
        ])
        .executeTakeFirstOrThrow();
      return {
        headSeq: Number(row.head_seq ?? 0),
        headHash: row.head_hash ?? GENESIS_HASH,
        maxStoredSeq: Number(row.max_seq ?? 0),
      };
    },
    async range(afterSeq, toSeq, limit) {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>', afterSeq)
        .where('seq', '<=', toSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async get(seq) {
      const row = await db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
    async list(filter: AuditFilter, afterSeq, limit) {
      let q = db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq);
      if (filter.since !== undefined) q = q.where('at', '>=', filter.since.toISOString());
      if (filter.until !== undefined) q = q.where('at', '<', filter.until.toISOString());
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map(toRecord);
    },
  };
}
