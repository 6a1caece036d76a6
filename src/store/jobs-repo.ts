import { type Kysely, sql } from 'kysely';
import { DEFAULT_MAX_ATTEMPTS, type EnqueueResult, type JobRecord, type NewJob } from '../jobs/job.ts';
import type { ClaimOptions, JobQueue, JobRef, JobStore } from '../jobs/ports.ts';
import { createBatcher } from '../lib/batcher.ts';
import type { Clock } from '../lib/clock.ts';
import { addMs } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Database } from './database.ts';
import type { Db, DbExecutor } from './db.ts';
import type { JobRow } from './jobs.table.ts';

/**
 * Inserts `job` with `db` (pass the caller's transaction so the job commits with the change that asked for it).
 * A taken `dedupeKey` is a no-op: returns the existing job's id with `created: false`. Throws Error when the payload
 * is not JSON-serialisable or `maxAttempts` is not a positive integer.
 */
export async function enqueueJob(db: DbExecutor, job: NewJob, now: Date): Promise<EnqueueResult> {
  const inserted = await db
    .insertInto('jobs')
    .values(jobRow(job, now))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', job.dedupeKey ?? '')
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/**
 * Inserts several jobs in one statement (each with the `now` it was asked for), skipping those whose `dedupeKey` is
 * taken, and returns the jobs actually inserted. Same validation as `enqueueJob`; nothing is written when one fails.
 */
export async function enqueueJobs(
  db: DbExecutor,
  items: readonly { readonly job: NewJob; readonly now: Date }[],
): Promise<NewJob[]> {
  if (items.length === 0) return [];
  const rows = items.map(({ job, now }) => jobRow(job, now));
  const inserted = await db
    .insertInto('jobs')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  const ids = new Set(inserted.map((r) => r.id));
  return items.filter((_, i) => ids.has(rows[i]?.id ?? '')).map((item) => item.job);
}

/** The row of a new job; throws Error on a non-JSON payload or an invalid `maxAttempts`. */
function jobRow(job: NewJob, now: Date) {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new Error(`enqueueJob: invalid maxAttempts ${maxAttempts}`);
  const payload = JSON.stringify(job.payload);
  if (payload === undefined) throw new Error(`enqueueJob(${job.type}): payload is not JSON`);
  const stamp = now.toISOString();
  return {
    id: newId('job'),
    type: job.type,
    payload,
    run_at: (job.runAt ?? now).toISOString(),
    attempts: 0,
    max_attempts: maxAttempts,
    status: 'pending' as const,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    dedupe_key: job.dedupeKey ?? null,
    created_at: stamp,
    updated_at: stamp,
  };
}

/**
 * The `JobQueue` port over a connection or an open transaction. `onEnqueued(runAt)` is called after each job actually
 * inserted (e.g. `runner.wake`); inside a transaction that is before the commit, which the runner allows for.
 */
export function createJobQueue(
  db: DbExecutor,
  { clock, onEnqueued = () => {} }: { clock: Clock; onEnqueued?: (runAt: Date) => void },
): JobQueue {
  return {
    async enqueue(job) {
      const now = clock.now();
      const result = await enqueueJob(db, job, now);
      if (result.created) onEnqueued(job.runAt ?? now);
      return result;
    },
    async cancel(ref) {
      const r = await byRef(db.deleteFrom('jobs'), ref).where('status', '=', 'pending').executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    async reschedule(ref, runAt) {
      // A dead job may be revived (e.g. after an outage): pending again with a fresh set of attempts.
      const r = await byRef(db.updateTable('jobs'), ref)
        .where('status', 'in', ['pending', 'dead'])
        .set({
          status: 'pending',
          attempts: sql<number>`case when status = 'dead' then 0 else attempts end`,
          run_at: runAt.toISOString(),
          updated_at: clock.now().toISOString(),
        })
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async get(ref) {
      const row = await byRef(db.selectFrom('jobs').selectAll(), ref).executeTakeFirst();
      return row === undefined ? undefined : toRecord(row);
    },
  };
}

/**
 * Deletes `succeeded` jobs last updated before `before` and returns how many. Their dedupe keys become free again, so
 * keep the retention well above the time any caller might re-enqueue the same key (e.g. 30 days).
 */
export async function pruneSucceededJobs(db: DbExecutor, before: Date): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where('status', '=', 'succeeded')
    .where('updated_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

interface Filterable<Q> {
  where(column: 'id' | 'dedupe_key', op: '=', value: string): Q;
}
function byRef<Q extends Filterable<Q>>(query: Q, ref: JobRef): Q {
  return 'id' in ref ? query.where('id', '=', ref.id) : query.where('dedupe_key', '=', ref.dedupeKey);
}

/** The runner's `JobStore` port over an open database (not a transaction: each call is its own short one). */
export function createJobStore(database: Database): JobStore {
  const { db, dialect } = database;
  const leaseHeld = (id: string, owner: string) =>
    db
      .updateTable('jobs')
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner);
  // Completions of runs that finish together share one UPDATE (group commit): a burst of short jobs (a thousand
  // grants expiring in one second) would otherwise spend a statement per job on bookkeeping.
  const completeBatched = createBatcher<{ id: string; owner: string; now: Date }, boolean>(async (items) => {
    const done = new Set<string>();
    const owners = [...new Set(items.map((i) => i.owner))];
    for (const owner of owners) {
      const mine = items.filter((i) => i.owner === owner);
      const latest = mine.reduce((t, i) => (i.now > t ? i.now : t), new Date(0));
      const rows = await db
        .updateTable('jobs')
        .set({ status: 'succeeded', lease_expires_at: null, updated_at: latest.toISOString() })
        .where(
          'id',
          'in',
          mine.map((i) => i.id),
        )
        .where('status', '=', 'running')
        .where('lease_owner', '=', owner)
        .returning('id')
        .execute();
      for (const r of rows) done.add(r.id);
    }
    return items.map((i) => ({ status: 'fulfilled', value: done.has(i.id) }));
  });
  return {
    claim: (options) => (dialect === 'postgres' ? claimPostgres(db, options) : claimSqlite(db, options)),
    async nextDueAt(types) {
      if (types.length === 0) return undefined;
      // One round trip: the earliest pending run_at and the earliest lease expiry, each from its own index.
      const row = await db
        .selectNoFrom((eb) => [
          eb
            .selectFrom('jobs')
            .select((e) => e.fn.min('run_at').as('t'))
            .where('status', '=', 'pending')
            .where('type', 'in', types)
            .as('pending_at'),
          eb
            .selectFrom('jobs')
            .select((e) => e.fn.min('lease_expires_at').as('t'))
            .where('status', '=', 'running')
            .where('type', 'in', types)
            .as('lease_at'),
        ])
        .executeTakeFirst();
      const times = [row?.pending_at, row?.lease_at].filter((t): t is string => typeof t === 'string').sort();
      return times[0] === undefined ? undefined : new Date(times[0]);
    },
    async renewLease(id, owner, until, now) {
      const r = await leaseHeld(id, owner)
        .set({ lease_expires_at: until.toISOString(), updated_at: now.toISOString() })
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    complete: (id, owner, now) => completeBatched({ id, owner, now }),
    async fail(id, owner, error, outcome, now) {
      const next =
        'dead' in outcome
          ? { status: 'dead' as const }
          : { status: 'pending' as const, run_at: outcome.retryAt.toISOString() };
      const r = await leaseHeld(id, owner)
        .set({ ...next, last_error: error, lease_expires_at: null, updated_at: now.toISOString() })
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async release(id, owner, now) {
      const r = await leaseHeld(id, owner)
        .set({
          status: 'pending',
          attempts: sql<number>`attempts - 1`,
          lease_expires_at: null,
          updated_at: now.toISOString(),
        })
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  };
}

function claimSet({ owner, now, leaseMs }: ClaimOptions) {
  return {
    status: 'running' as const,
    lease_owner: owner,
    lease_expires_at: addMs(now, leaseMs).toISOString(),
    attempts: sql<number>`attempts + 1`,
    updated_at: now.toISOString(),
  };
}

/** Due jobs of `types`, earliest first: pending and due, or running with an expired lease. */
function dueIds(db: Kysely<Db>, { types, now, limit, dueBy = now }: ClaimOptions) {
  const at = dueBy.toISOString();
  return db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', types)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', at)]),
        eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', at)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit);
}

// Postgres: lock the chosen rows with SKIP LOCKED so concurrent claimers take disjoint sets; FOR UPDATE re-checks the
// WHERE clause against the newest row version, so a job another replica just claimed is not taken again.
async function claimPostgres(db: Kysely<Db>, options: ClaimOptions): Promise<JobRecord[]> {
  if (options.types.length === 0) return [];
  const rows = await db
    .with('picked', () => dueIds(db, options).forUpdate().skipLocked())
    .updateTable('jobs')
    .set(claimSet(options))
    .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
    .returningAll()
    .execute();
  return rows.map(toRecord).sort(byRunAt);
}

// SQLite has one writer, and a write statement takes the write lock before it reads (waiting out another process's
// writer with the busy timeout), so one UPDATE with the selection as a subquery is atomic. One statement, not
// BEGIN … COMMIT around awaits: better-sqlite3 blocks the event loop while it waits for a lock, so a lock held across
// an await by another connection of the same process would never be released.
async function claimSqlite(db: Kysely<Db>, options: ClaimOptions): Promise<JobRecord[]> {
  if (options.types.length === 0) return [];
  const rows = await db
    .updateTable('jobs')
    .set(claimSet(options))
    .where('id', 'in', dueIds(db, options))
    .returningAll()
    .execute();
  return rows.map(toRecord).sort(byRunAt);
}

function byRunAt(a: JobRecord, b: JobRecord): number {
  return a.runAt.getTime() - b.runAt.getTime() || (a.id < b.id ? -1 : 1);
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Handed on as the raw text: the type's schema rejects it and the job is dead-lettered as malformed.
    return text;
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    type: row.type,
    payload: parsePayload(row.payload),
    runAt: new Date(row.run_at),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    status: row.status,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
    lastError: row.last_error,
    dedupeKey: row.dedupe_key,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
