// `npm run bench -- jobs`: 1,000 jobs due within the same second; prints p50/p99/max delay from each job's run_at to
// its handler's start — the scheduler's share of issue 6's "p99 ≤ 1 s from not_after to revocation". SQLite with one
// runner, Postgres with two runners (separate pools, as two server processes). Handlers either return at once or
// wait 20 ms (a stand-in for an AWS call). Each scenario is bounded to 60 s; databases are removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineJob } from '../src/jobs/handlers.ts';
import { createJobRunner, type JobRunner } from '../src/jobs/runner.ts';
import { createDatabase, type Database } from '../src/store/database.ts';
import type { DialectName } from '../src/store/db.ts';
import { createJobStore, enqueueJob } from '../src/store/jobs-repo.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { withTransaction } from '../src/store/transaction.ts';
import { getPostgres, postgresAvailability } from '../test/support/postgres.ts';

const JOBS = 1000;
const LEAD_MS = 2000; // runners start, then sleep on their timer until the due second
const BOUND_MS = 60_000;

interface Scenario {
  readonly dialect: DialectName;
  readonly runners: number;
  readonly handlerMs: number;
}

async function openDatabase(dialect: DialectName): Promise<{ url: string; cleanup: () => void }> {
  if (dialect === 'postgres') return { url: await (await getPostgres()).createDatabase(), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-jobs-'));
  return {
    url: `sqlite:${join(dir, 'bench.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function run({ dialect, runners: count, handlerMs }: Scenario): Promise<string> {
  const { url, cleanup } = await openDatabase(dialect);
  const databases: Database[] = Array.from({ length: count }, () => createDatabase(url));
  const runners: JobRunner[] = [];
  try {
    const main = databases[0] as Database;
    await migrateToLatest(main.db);
    const delays: number[] = [];
    const job = defineJob({
      type: 'bench.expire',
      payload: z.object({ n: z.number() }),
      run: async (_p, { job: record }) => {
        delays.push(Date.now() - record.runAt.getTime());
        if (handlerMs > 0) await sleep(handlerMs);
      },
    });
    const second = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const now = new Date();
    await withTransaction(main.db, async (tx) => {
      for (let n = 0; n < JOBS; n++) {
        const runAt = new Date(second + Math.floor((n * 1000) / JOBS)); // spread over the one second
        await enqueueJob(tx, { type: job.type, payload: { n }, runAt }, now);
      }
    });
    for (const database of databases) {
      const runner = createJobRunner({ store: createJobStore(database), definitions: [job] });
      runners.push(runner);
      runner.start();
    }
    const deadline = performance.now() + BOUND_MS;
    while (delays.length < JOBS && performance.now() < deadline) await sleep(50);
    const sorted = [...delays].sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
    const label = `${dialect.padEnd(8)} runners=${count} handler=${String(handlerMs).padStart(2)} ms`;
    const done =
      delays.length === JOBS ? '' : `  (only ${delays.length}/${JOBS} within ${BOUND_MS / 1000} s)`;
    return `${label}  p50 ${pct(50)} ms  p99 ${pct(99)} ms  max ${sorted.at(-1)} ms${done}`;
  } finally {
    await Promise.all(runners.map((r) => r.stop({ graceMs: 5000 })));
    await Promise.all(databases.map((d) => d.close()));
    cleanup();
  }
}

const scenarios: Scenario[] = [
  { dialect: 'sqlite', runners: 1, handlerMs: 0 },
  { dialect: 'sqlite', runners: 1, handlerMs: 20 },
];
if (postgresAvailability() === 'run') {
  scenarios.push(
    { dialect: 'postgres', runners: 2, handlerMs: 0 },
    { dialect: 'postgres', runners: 2, handlerMs: 20 },
  );
}
console.log(
  `${JOBS} jobs due within one second; default concurrency (32) and pool size (10) per runner; delay = handler start − run_at`,
);
for (const scenario of scenarios) console.log(await run(scenario));
process.exit(0); // the Postgres harness stops its server in its exit handler
