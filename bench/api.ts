// `npm run bench -- api`: the HTTP API on SQLite over loopback, measured with autocannon (100 connections).
//   1. authenticated GET /api/v1/requests/{id}   target ≥ 1,000 req/s, p99 < 50 ms
//   2. POST /api/v1/requests (drafted, validated and risk-scored)   target ≥ 200 submissions/s
// The server runs in a child process so the load generator does not share its event loop. Each phase is bounded
// (IAM_JIT_BENCH_SECONDS, default 8 s). Prints the figures and the load average (the machine is shared).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createHttpApp } from '../src/http/app.ts';
import { silentLog } from '../src/http/context.ts';
import { createDatabase } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const SECONDS = Number(process.env.IAM_JIT_BENCH_SECONDS ?? 8);
const ACCOUNT = '111122223333';

/** Child: set up a SQLite database with users, an account and one request, serve, print what the parent needs. */
async function runChild(dir: string): Promise<void> {
  const config = loadConfig({
    IAM_JIT_DEV_MODE: 'true',
    IAM_JIT_DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    IAM_JIT_MAX_OPEN_REQUESTS_PER_USER: '10000',
    IAM_JIT_LOG_LEVEL: 'silent',
  });
  const database = createDatabase(config.database.url);
  await migrateToLatest(database.db);
  const services = createServices(config, { database, log: silentLog });
  await services.users.create({ id: 'email:approver@bench.test', roles: ['approver'] });
  const requester = await services.users.create({ id: 'email:requester@bench.test', roles: ['requester'] });
  await services.accounts.create({
    id: ACCOUNT,
    name: 'bench',
    environment: 'nonprod',
    approvers: ['email:approver@bench.test'],
  });
  const { token } = await services.tokens.create(requester.id, { label: 'bench' });
  const app = createHttpApp(services, config);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}`, token })}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    void database.close().then(() => process.exit(0));
  });
}

function startChild(dir: string): Promise<{ child: ChildProcess; url: string; token: string }> {
  // --max-semi-space-size: the young-generation size docs/deployment.md recommends for servers (fewer scavenges).
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=32', '--import', 'tsx', import.meta.filename, '--child', dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ child, url, token });
    });
  });
}

function report(name: string, r: AutocannonResult, target: string): void {
  const codes = Object.entries(r.statusCodeStats ?? {})
    .map(([code, s]) => `${code}×${s.count}`)
    .join(' ');
  console.log(
    `${name}: ${r.requests.average.toFixed(0)} req/s (total ${r.requests.total} in ${SECONDS} s), latency avg ${r.latency.average.toFixed(1)} ms, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; non-2xx ${r.non2xx}, errors ${r.errors} [${codes}]  (target ${target})`,
  );
}

async function runParent(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-api-'));
  const { child, url, token } = await startChild(dir);
  try {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const submission = JSON.stringify({
      account_ids: [ACCOUNT],
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: ['arn:aws:s3:::bench-bucket', 'arn:aws:s3:::bench-bucket/*'],
      justification: 'benchmark',
      duration_hours: 1,
    });
    const first = await fetch(`${url}/api/v1/requests`, { method: 'POST', headers, body: submission });
    const created = (await first.json()) as { request?: { id?: string } };
    const id = created.request?.id;
    if (first.status !== 201 || id === undefined)
      throw new Error(`setup submission failed: ${first.status} ${JSON.stringify(created)}`);
    console.log(
      `bench api: SQLite, loopback, 100 connections, ${SECONDS} s per phase, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // Warm-up: JIT and SQLite page cache.
    await autocannon({ url: `${url}/api/v1/requests/${id}`, headers, connections: 10, duration: 1 });
    const get = await autocannon({
      url: `${url}/api/v1/requests/${id}`,
      headers,
      connections: 100,
      duration: SECONDS,
    });
    report('GET  /api/v1/requests/{id}', get, '≥ 1000 req/s, p99 < 50 ms');
    const post = await autocannon({
      url: `${url}/api/v1/requests`,
      method: 'POST',
      headers,
      body: submission,
      connections: 100,
      duration: SECONDS,
    });
    report('POST /api/v1/requests     ', post, '≥ 200 submissions/s');
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await runChild(process.argv[childAt + 1] ?? tmpdir());
else await runParent();
