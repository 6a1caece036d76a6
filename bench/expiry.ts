// `npm run bench -- expiry`: 1,000 active iam_role grants whose not_after falls in the same second; prints p50/p99/max
// delay from not_after to AWS-confirmed revocation (the grant's ended_at, written after DeleteRole succeeded), through
// the real path: jobs → lifecycle → SDK v3 → the local AWS emulator (deny old sessions, delete policies, delete role).
// SQLite with one runner; Postgres with two runners (separate pools, as two server processes). Bounded to 120 s each.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { buildAccount } from '../src/accounts/account.ts';
import { createGrantAws } from '../src/aws/grant-aws.ts';
import type { Grant } from '../src/grants/grant.ts';
import { expireGrantJob, grantJobDefinitions } from '../src/grants/grant-jobs.ts';
import { createGrantLifecycle, roleSpecFor } from '../src/grants/grant-lifecycle.ts';
import type { GrantAws } from '../src/grants/ports.ts';
import { buildJob, createJobRunner, type JobRunner } from '../src/jobs/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import { newId } from '../src/lib/ids.ts';
import { sdkClients } from '../src/local-aws/testing.ts';
import { createAccountRepo } from '../src/store/accounts-repo.ts';
import { createDatabase, type Database } from '../src/store/database.ts';
import type { DialectName } from '../src/store/db.ts';
import { createGrantRepo } from '../src/store/grants-repo.ts';
import { createGrantStore } from '../src/store/grants-store.ts';
import { createJobStore, enqueueJob } from '../src/store/jobs-repo.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { withTransaction } from '../src/store/transaction.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountSeed,
} from '../test/grants/harness.ts';
import { getPostgres, postgresAvailability } from '../test/support/postgres.ts';

const GRANTS = 1000;
const BOUND_MS = 120_000;
const CONCURRENCY = 64;
const settings = { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY };

async function openDatabase(dialect: DialectName): Promise<{ url: string; cleanup: () => void }> {
  if (dialect === 'postgres') return { url: await (await getPostgres()).createDatabase(), cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-expiry-'));
  return {
    url: `sqlite:${join(dir, 'bench.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The emulator in its own process (AWS is another machine in production; here it gets the other core). */
async function startEmulator(dir: string): Promise<{ url: string; pid?: number; stop: () => void }> {
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify(twoAccountSeed()));
  const child = spawn(
    process.execPath,
    // The bench's own node flags too (e.g. `--cpu-prof` to profile both sides).
    [
      ...process.execArgv,
      join(import.meta.dirname, '..', 'bin', 'iam-jit.js'),
      'local-aws',
      '--port',
      '0',
      '--state',
      seed,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('emulator did not start within 30 s')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  child.stdout.resume();
  return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** CPU milliseconds (user + system) a process used so far, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** A GrantAws that answers at once: isolates iam-jit's own share (jobs, database, audit) of the delay. */
const stubAws: GrantAws = {
  provisionRole: async () => ({ roleArn: 'arn:aws:iam::222222222222:role/iam-jit/stub' }),
  deleteRole: async () => {},
  provisionAssignment: async () => 'arn:aws:sso:::permissionSet/stub',
  deleteAssignment: async () => {},
  listGrantRoles: async () => [],
  getGrantPolicy: async () => undefined,
  vendCredentials: async () => {
    throw new Error('not used');
  },
};

async function run(dialect: DialectName, runnerCount: number, target: 'emulator' | 'stub'): Promise<string> {
  const emulatorDir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-aws-'));
  const aws =
    target === 'emulator' ? await startEmulator(emulatorDir) : { url: '', pid: undefined, stop: () => {} };
  const { url, cleanup } = await openDatabase(dialect);
  const databases: Database[] = Array.from({ length: runnerCount }, () => createDatabase(url));
  const runners: JobRunner[] = [];
  try {
    const main = databases[0] as Database;
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
    // Setup (not measured): 1,000 active grants with their roles in the spoke; not_after spread over one second.
    const setupStart = performance.now();
    const second = Math.ceil((Date.now() + 15_000 + GRANTS * 8) / 1000) * 1000;
    const admin = sdkClients(aws.url, {
      accessKeyId: `AKIA${SPOKE}ROOT`,
      secretAccessKey: `local-aws-root-secret-${SPOKE}`,
    });
    const grants: Grant[] = [];
    for (let n = 0; n < GRANTS; n++) {
      const id = newId('grt');
      const notAfter = new Date(second + Math.floor((n * 1000) / GRANTS));
      grants.push({
        id,
        requestId: newId('req'),
        accountId: SPOKE,
        requesterId: 'email:alice@example.com',
        approverIds: ['email:bob@example.com'],
        revision: 1,
        mode: 'iam_role',
        status: 'active',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        },
        notBefore: now,
        notAfter,
        roleName: `iam-jit-${id}`,
        roleArn: `arn:aws:iam::${SPOKE}:role/iam-jit/iam-jit-${id}`,
        activatedAt: now,
        endedAt: null,
        endReason: null,
        revokedBy: null,
        revokeReason: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (let i = 0; target === 'emulator' && i < grants.length; i += 25)
      await Promise.all(
        grants.slice(i, i + 25).map(async (g) => {
          const spec = roleSpecFor(g, settings);
          await admin.iam.send(
            new CreateRoleCommand({
              RoleName: spec.roleName,
              Path: spec.path,
              AssumeRolePolicyDocument: JSON.stringify(spec.trustPolicy),
              PermissionsBoundary: spec.permissionsBoundaryArn ?? undefined,
              Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          );
          await admin.iam.send(
            new PutRolePolicyCommand({
              RoleName: spec.roleName,
              PolicyName: spec.inlinePolicyName,
              PolicyDocument: JSON.stringify(spec.inlinePolicy),
            }),
          );
        }),
      );
    await withTransaction(main.db, async (tx) => {
      const repo = createGrantRepo(tx);
      for (const g of grants) {
        await repo.insert(g);
        await enqueueJob(
          tx,
          buildJob(expireGrantJob, { grantId: g.id }, { runAt: g.notAfter, dedupeKey: `expire:${g.id}` }),
          now,
        );
      }
    });
    const setupS = ((performance.now() - setupStart) / 1000).toFixed(1);
    for (const database of databases) {
      const store = createGrantStore(database, { clock: systemClock });
      const lifecycle = createGrantLifecycle({
        grants: store.grants,
        accounts: createAccountRepo(database.db),
        transaction: store.transaction,
        aws:
          target === 'stub'
            ? stubAws
            : createGrantAws({ endpoint: aws.url, hubCredentials: HUB_CREDENTIALS, maxAttempts: 3 }),
        clock: systemClock,
        settings,
      });
      const runner = createJobRunner({
        store: createJobStore(database),
        definitions: grantJobDefinitions(lifecycle),
        concurrency: CONCURRENCY,
      });
      runners.push(runner);
      runner.start();
    }
    if (Date.now() > second)
      console.log(`  warning: setup overran the due second by ${Date.now() - second} ms`);
    const deadline = performance.now() + BOUND_MS;
    // Wait for the due second without measuring; then count CPU (this process: the runners; the emulator's process).
    await sleep(Math.max(0, second - Date.now()));
    const cpu0 = process.cpuUsage();
    const awsCpu0 = processCpuMs(aws.pid);
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
    // A cheap count while waiting, so the polling itself barely loads the runners' event loop.
    while (performance.now() < deadline && (await expiredCount()) < GRANTS) await sleep(100);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const awsCpuMs = processCpuMs(aws.pid) - awsCpu0;
    const ended = await createGrantRepo(main.db).list({ status: 'expired', limit: GRANTS });
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
    const awsCpu = target === 'emulator' ? `, emulator ${perGrant(awsCpuMs)} ms` : '';
    return [
      `${dialect.padEnd(8)} ${`runners=${runnerCount}`.padEnd(9)} aws=${target.padEnd(8)}`,
      `p50 ${String(pct(50)).padStart(5)} ms  p99 ${String(pct(99)).padStart(5)} ms  max ${String(delays.at(-1)).padStart(5)} ms`,
      `${throughput.toFixed(0).padStart(5)} revocations/s  CPU per revocation: iam-jit ${perGrant(cpuMs)} ms${awsCpu}${done}  (setup ${setupS} s)`,
    ].join('  ');
  } finally {
    await Promise.all(runners.map((r) => r.stop({ graceMs: 5000 })));
    await Promise.all(databases.map((d) => d.close()));
    aws.stop();
    rmSync(emulatorDir, { recursive: true, force: true });
    cleanup();
  }
}

console.log(
  `${GRANTS} active grants with not_after in one second; concurrency ${CONCURRENCY} per runner; delay = AWS-confirmed revocation (ended_at) − not_after`,
);
// Optional filters: `npm run bench -- expiry [sqlite|postgres] [stub|emulator]`.
const only = new Set(process.argv.slice(3));
const wanted = (name: string, all: readonly string[]) => !all.some((n) => only.has(n)) || only.has(name);
for (const target of ['stub', 'emulator'] as const) {
  if (!wanted(target, ['stub', 'emulator'])) continue;
  if (wanted('sqlite', ['sqlite', 'postgres'])) console.log(await run('sqlite', 1, target));
  if (wanted('postgres', ['sqlite', 'postgres']) && postgresAvailability() === 'run')
    console.log(await run('postgres', 2, target));
}
process.exit(0); // the Postgres harness stops its server in its exit handler
