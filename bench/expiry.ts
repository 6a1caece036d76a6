// `npm run bench -- expiry`: 1,000 active iam_role grants whose not_after falls in the same second; prints p50/p99/max
// delay from not_after to AWS-confirmed revocation (the grant's ended_at, written after DeleteRole succeeded), through
// the real path: jobs → lifecycle → SDK v3 → the local AWS emulator (deny old sessions, delete the policy, the role).
// Every runner is its own process (bench/support/expiry-runner.ts, like a server replica), and so is the emulator (AWS
// is another machine in production): SQLite with one runner process, Postgres with two. `aws=stub` answers at once and
// shows iam-jit's own share (jobs, database, audit). Bounded to 120 s per scenario.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildAccount } from '../src/accounts/account.ts';
import type { Grant } from '../src/grants/grant.ts';
import { expireGrantJob } from '../src/grants/grant-jobs.ts';
import { buildJob } from '../src/jobs/index.ts';
import { newId } from '../src/lib/ids.ts';
import { sdkClients } from '../src/local-aws/testing.ts';
import { createAccountRepo } from '../src/store/accounts-repo.ts';
import { createDatabase } from '../src/store/database.ts';
import type { DialectName } from '../src/store/db.ts';
import { createGrantRepo } from '../src/store/grants-repo.ts';
import { enqueueJob } from '../src/store/jobs-repo.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { withTransaction } from '../src/store/transaction.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountSeed,
} from '../test/grants/harness.ts';
import { getPostgres, postgresAvailability } from '../test/support/postgres.ts';
import { processCpuMs, startEmulatorProcess } from './support/emulator-process.ts';
import { benchGrant, createGrantRoles } from './support/grant-roles.ts';

const GRANTS = 1000;
/** Grants ended before the measured burst, to warm the runners and the emulator. */
const WARMUP = 50;
const NOTIFY = !process.argv.slice(3).includes('no-notify');
const BOUND_MS = 120_000;
// The server default (`IAM_JIT_JOB_CONCURRENCY`); `BENCH_CONCURRENCY=64` shows how fewer jobs in flight cap a burst.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const settings = { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY };

async function openDatabase(dialect: DialectName): Promise<{ url: string; cleanup: () => void }> {
  if (dialect === 'postgres') return { url: await (await getPostgres()).createDatabase(), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-expiry-'));
  return {
    url: `sqlite:${join(dir, 'bench.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** CPU milliseconds used so far by every `postgres` process on this machine (the bench's own server). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const ms = processCpuMs(Number(pid));
      if (Number.isFinite(ms)) total += ms;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** What a runner process reports when stopped. */
interface RunnerStats {
  cpuMs: number;
  statements: number;
}

/** One job runner in its own process (bench/support/expiry-runner.ts), like one server replica. */
async function startRunner(
  url: string,
  awsUrl: string,
): Promise<{ awsUrl: string; go: () => void; stop: () => Promise<RunnerStats> }> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      join(import.meta.dirname, 'support', 'expiry-runner.ts'),
      url,
      awsUrl,
      String(CONCURRENCY),
      NOTIFY ? 'notify' : 'no-notify',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('runner process ended early');
    return r.value;
  };
  let line = '';
  let startedAws = awsUrl;
  for (let n = 0; n < 2 && line !== 'ready'; n++) {
    line = await Promise.race([next(), sleep(60_000).then(() => 'timeout')]);
    if (line.startsWith('aws ')) startedAws = line.slice(4);
  }
  if (line !== 'ready') throw new Error(`runner process did not start: ${line}`);
  return {
    awsUrl: startedAws,
    go: () => child.stdin.write('go\n'),
    stop: async () => {
      child.stdin.write('stop\n');
      return JSON.parse(await next()) as RunnerStats;
    },
  };
}

const TARGETS = ['stub', 'emulator', 'in-process'] as const;
/** AWS for a scenario: the stub, the emulator in its own process, or the emulator inside the runner process. */
type Target = (typeof TARGETS)[number];

async function run(dialect: DialectName, runnerCount: number, target: Target): Promise<string> {
  const aws =
    target === 'emulator'
      ? await startEmulatorProcess(twoAccountSeed())
      : { url: '', cpuMs: () => 0, stop: () => {} };
  const { url, cleanup } = await openDatabase(dialect);
  const main = createDatabase(url);
  const runners: Awaited<ReturnType<typeof startRunner>>[] = [];
  try {
    await migrateToLatest(main.db);
    const now = new Date();
    await createAccountRepo(main.db).insert(
      buildAccount(
        {
          id: SPOKE,
          name: 'Spoke',
          environment: 'nonprod',
          spokeRoleArn: SPOKE_ROLE_ARN,
          externalId: EXTERNAL_ID,
        },
        now,
      ),
    );
    // Setup (not measured): 1,000 roles in the spoke, the runner processes, then 1,000 active grants whose not_after
    // is spread over one second a few seconds ahead (chosen last, so a slow setup on a loaded machine cannot overrun
    // it; the roles' own time bound is 10 minutes later, which revocation does not look at).
    const setupStart = performance.now();
    const roleBound = Date.now() + 10 * 60_000;
    for (let n = 0; n < runnerCount; n++)
      runners.push(await startRunner(url, target === 'emulator' ? aws.url : target));
    const awsUrl = runners[0]?.awsUrl ?? aws.url;
    const admin = sdkClients(awsUrl, {
      accessKeyId: `AKIA${SPOKE}ROOT`,
      secretAccessKey: `local-aws-root-secret-${SPOKE}`,
    });
    const grants: Grant[] = Array.from({ length: GRANTS + WARMUP }, () =>
      benchGrant(newId('grt'), { now, notAfter: new Date(roleBound), requestId: newId('req') }),
    );
    if (target !== 'stub') await createGrantRoles(admin, grants, settings);
    /** Inserts `due` (grants with their active requests and expire jobs) in one transaction. */
    const insertDue = (due: readonly Grant[]) =>
      withTransaction(main.db, async (tx) => {
        // Each grant's request is `active`, so its end also moves the request (history row and audit event), as in
        // production.
        for (let i = 0; i < due.length; i += 100)
          await tx
            .insertInto('requests')
            .values(
              due.slice(i, i + 100).map((g) => ({
                id: g.requestId,
                requester_id: g.requesterId,
                status: 'active',
                version: 3,
                current_revision: 1,
                access_type: 'policy',
                justification: 'bench',
                duration_hours: 1,
                start_at: null,
                callback_url: null,
                ticket: null,
                tags: '{}',
                approval_deadline: null,
                created_at: now.toISOString(),
                updated_at: now.toISOString(),
                regions: null,
                extends_grant_id: null,
              })),
            )
            .execute();
        const repo = createGrantRepo(tx);
        for (const g of due) {
          await repo.insert(g);
          await enqueueJob(
            tx,
            buildJob(expireGrantJob, { grantId: g.id }, { runAt: g.notAfter, dedupeKey: `expire:${g.id}` }),
            now,
          );
        }
      });
    const expiredCount = async () =>
      Number(
        (
          await main.db
            .selectFrom('grants')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'expired')
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Warm-up (not measured): a few grants end first, so the runners and the emulator meet the burst warm, as a
    // server that has been running does (JIT-compiled revocation path, open connections, the spoke session).
    await insertDue(grants.slice(0, WARMUP).map((g) => ({ ...g, notAfter: new Date() })));
    for (let n = 0; n < 600 && (await expiredCount()) < WARMUP; n++) await sleep(100);
    const second = Math.ceil((Date.now() + 3000 + GRANTS * 5) / 1000) * 1000;
    const due = grants.slice(WARMUP).map((g, n) => ({
      ...g,
      notAfter: new Date(second + Math.floor((n * 1000) / GRANTS)),
    }));
    const measured = new Set(due.map((g) => g.id));
    await insertDue(due);
    const setupS = ((performance.now() - setupStart) / 1000).toFixed(1);
    if (Date.now() > second)
      console.log(`  warning: setup overran the due second by ${Date.now() - second} ms`);
    const deadline = performance.now() + BOUND_MS;
    // Wait for the due second without measuring; then count CPU (this process: the runners; the emulator's process).
    await sleep(Math.max(0, second - Date.now()));
    for (const r of runners) r.go();
    const awsCpu0 = aws.cpuMs();
    const pgCpu0 = dialect === 'postgres' ? postgresCpuMs() : 0;
    // A cheap count while waiting, so the polling itself barely loads the runners' event loop.
    while (performance.now() < deadline && (await expiredCount()) < GRANTS + WARMUP) await sleep(100);
    const awsCpuMs = aws.cpuMs() - awsCpu0;
    // Backends that exit meanwhile drop out of the sum, so this slightly under-counts.
    const pgCpuMs = dialect === 'postgres' ? postgresCpuMs() - pgCpu0 : 0;
    const stats = await Promise.all(runners.splice(0).map((r) => r.stop()));
    const cpuMs = stats.reduce((sum, r) => sum + r.cpuMs, 0);
    const statements = stats.reduce((sum, r) => sum + r.statements, 0);
    const ended = (await createGrantRepo(main.db).list({ status: 'expired', limit: GRANTS + WARMUP })).filter(
      (g) => measured.has(g.id),
    );
    // Runs that failed and were retried (with backoff): the usual cause of a long tail.
    const retried = await main.db
      .selectFrom('jobs')
      .select(['last_error'])
      .where('type', '=', expireGrantJob.type)
      .where('attempts', '>', 1)
      .execute();
    const retriedNote =
      retried.length === 0
        ? ''
        : `  (${retried.length} expiries retried, e.g. ${retried[0]?.last_error ?? '?'})`;
    const delays = ended
      .map((g) => (g.endedAt?.getTime() ?? Number.NaN) - g.notAfter.getTime())
      .sort((a, b) => a - b);
    const pct = (p: number) =>
      delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)] ?? NaN;
    const lastEnd = Math.max(...ended.map((g) => g.endedAt?.getTime() ?? 0));
    const throughput = ended.length / Math.max(0.001, (lastEnd - second) / 1000);
    const done =
      delays.length === GRANTS ? '' : `  (only ${delays.length}/${GRANTS} within ${BOUND_MS / 1000} s)`;
    const perGrant = (ms: number) => (ms / Math.max(1, ended.length)).toFixed(2);
    const awsCpu =
      target === 'emulator'
        ? `, emulator ${perGrant(awsCpuMs)} ms`
        : target === 'in-process'
          ? ' (emulator included)'
          : '';
    return [
      `${dialect.padEnd(8)} ${`runners=${runnerCount}`.padEnd(9)} aws=${target.padEnd(10)}`,
      `p50 ${String(pct(50)).padStart(5)} ms  p99 ${String(pct(99)).padStart(5)} ms  max ${String(delays.at(-1)).padStart(5)} ms`,
      `${throughput.toFixed(0).padStart(5)} revocations/s  per revocation: ${(statements / Math.max(1, ended.length)).toFixed(1)} SQL statements, CPU iam-jit ${perGrant(cpuMs)} ms${awsCpu}${dialect === 'postgres' ? `, postgres ${perGrant(pgCpuMs)} ms` : ''}${done}${retriedNote}  (setup ${setupS} s)`,
    ].join('  ');
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    await main.close();
    aws.stop();
    cleanup();
  }
}

console.log(
  `${GRANTS} active grants with not_after in one second; each runner its own process, ${CONCURRENCY} jobs in flight; delay = AWS-confirmed revocation (ended_at) − not_after`,
);
// Optional filters: `npm run bench -- expiry [sqlite|postgres] [stub|emulator|in-process]`.
const only = new Set(process.argv.slice(3));
// `no-notify`: the runners run grant jobs only (by default they also run the notifications the ends enqueue).
const wanted = (name: string, all: readonly string[]) => !all.some((n) => only.has(n)) || only.has(name);
for (const target of TARGETS) {
  if (!wanted(target, TARGETS)) continue;
  if (wanted('sqlite', ['sqlite', 'postgres'])) console.log(await run('sqlite', 1, target));
  // The in-process emulator lives in one runner's process: it fits the one-replica (SQLite) deployment only.
  if (
    target !== 'in-process' &&
    wanted('postgres', ['sqlite', 'postgres']) &&
    postgresAvailability() === 'run'
  )
    console.log(await run('postgres', 2, target));
}
process.exit(0); // the Postgres harness stops its server in its exit handler
