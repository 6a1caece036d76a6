// `npm run bench -- audit`: audit appends per second, each in its own transaction (one writer, then 8 concurrent
// writers in one process), on a SQLite file and on a throwaway Postgres; then verify throughput in rows/second.
// Bounded: fixed counts, one temp database per dialect, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { appendAuditEvent, createAuditReader } from '../src/store/audit-events-repo.ts';
import { createDatabase, type Database } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { withTransaction } from '../src/store/transaction.ts';
import { getPostgres, isPostgresInstalled } from '../test/support/postgres.ts';

const APPENDS = 2000;
const LANES = 8;
const VERIFY_ROWS = 20_000;

function append(database: Database, i: number): Promise<unknown> {
  return withTransaction(database.db, (tx) =>
    appendAuditEvent(tx, {
      at: new Date(),
      actor: `usr_${i % 50}`,
      action: 'request.approved',
      subject: `req_${i % 500}`,
      data: { revision: 1, approvals: 2, account: '123456789012', note: 'approved after review' },
    }),
  );
}

async function appendsPerSecond(database: Database, count: number, lanes: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await append(database, next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

async function run(name: string, url: string): Promise<void> {
  const database = createDatabase(url, { poolSize: LANES });
  try {
    await migrateToLatest(database.db);
    const single = await appendsPerSecond(database, APPENDS, 1);
    const concurrent = await appendsPerSecond(database, APPENDS, LANES);
    console.log(
      `${name}: ${single.toFixed(0)} appends/s (1 writer), ${concurrent.toFixed(0)} appends/s (${LANES} concurrent)`,
    );
    const have = 2 * APPENDS;
    await appendsPerSecond(database, VERIFY_ROWS - have, LANES);
    const start = performance.now();
    const result = await verifyAuditChain(createAuditReader(database.db));
    const seconds = (performance.now() - start) / 1000;
    if (!result.ok) throw new Error(`verify failed: ${JSON.stringify(result)}`);
    console.log(
      `${name}: verify ${(result.count / seconds).toFixed(0)} rows/s (${result.count} rows, pages of 1000)`,
    );
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-audit-'));
try {
  await run('sqlite  ', `sqlite:${join(dir, 'audit.db')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (isPostgresInstalled()) await run('postgres', await (await getPostgres()).createDatabase());
else console.log('postgres: skipped (binaries not installed)');
