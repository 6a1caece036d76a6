// One iam-jit job runner in its own process, as a server replica runs it (`bench/expiry.ts` starts one per replica):
// `node --import tsx bench/support/expiry-runner.ts <database url> <emulator url | stub | in-process> <concurrency>
// [notify | no-notify]` (default notify: it also runs the notification jobs, as a server does).
// With `in-process` it starts the emulator in this process (as `npm start` does) and prints `aws <url>` first.
// Prints `ready` once the runner started; on stdin `go` it zeroes its counters, on `stop` it stops the runner and
// prints one JSON line {cpuMs, statements} (CPU of this process and SQL statements sent since `go`), then exits.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createNotifyParts } from '../../src/app-notify.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { grantJobDefinitions } from '../../src/grants/grant-jobs.ts';
import { createGrantLifecycle } from '../../src/grants/grant-lifecycle.ts';
import type { GrantAws } from '../../src/grants/ports.ts';
import { silentLog } from '../../src/http/context.ts';
import { createJobRunner } from '../../src/jobs/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createState, startLocalAws } from '../../src/local-aws/index.ts';
import { disabledMailer } from '../../src/mail/mailer.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createDatabase } from '../../src/store/database.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { createJobStore } from '../../src/store/jobs-repo.ts';
import { BOUNDARY, BROKER_ARN, HUB_CREDENTIALS, twoAccountSeed } from '../../test/grants/harness.ts';

const [url = '', awsUrl = 'stub', concurrencyArg = '64', notifyArg = 'notify'] = process.argv.slice(2);
const withNotify = notifyArg === 'notify';

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

// Statement counter (bench instrumentation only): every query the pg client sends, every SQLite statement run.
let statements = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;
const probe = new SqliteDatabase(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
  'all' | 'run' | 'get' | 'iterate',
  (...a: unknown[]) => unknown
>;
for (const method of ['all', 'run', 'get', 'iterate'] as const) {
  const original = statementProto[method];
  statementProto[method] = function counted(this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
}
probe.close();

let endpoint = awsUrl;
if (awsUrl === 'in-process') {
  endpoint = (await startLocalAws({ state: createState(twoAccountSeed(), new Date()) })).url;
  console.log(`aws ${endpoint}`);
}
const database = createDatabase(url);
const store = createGrantStore(database, { clock: systemClock });
const lifecycle = createGrantLifecycle({
  grants: store.grants,
  accounts: createAccountRepo(database.db, database.dialect),
  transaction: store.transaction,
  aws:
    awsUrl === 'stub'
      ? stubAws
      : createGrantAws({ endpoint, hubCredentials: HUB_CREDENTIALS, maxAttempts: 3 }),
  clock: systemClock,
  settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
});
// As in a server process, the runner also runs the notifications the ends enqueue (a `notify.dispatch` job per
// `grant.expired` and `request.expired` event; no subscription, chat binding or mail server is configured, so each
// dispatch reads its event and the request, grant and account, and finds no target).
const notify = createNotifyParts(
  {
    secretKey: randomBytes(32).toString('hex'),
    notify: { allowHosts: [], callbackSecret: undefined },
    server: { baseUrl: 'http://127.0.0.1:8080', host: '127.0.0.1', port: 8080, trustProxy: false },
  },
  {
    database,
    clock: systemClock,
    mailer: disabledMailer,
    jobOptions: { clock: systemClock },
    log: silentLog,
  },
);
const runner = createJobRunner({
  store: createJobStore(database),
  definitions: [...grantJobDefinitions(lifecycle), ...(withNotify ? notify.jobDefinitions : [])],
  concurrency: Number(concurrencyArg),
  onError: (e) => console.error('runner error:', e),
});
runner.start();
console.log('ready');

let cpu0 = process.cpuUsage();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') {
    cpu0 = process.cpuUsage();
    statements = 0;
  } else if (line === 'stop') {
    const cpu = process.cpuUsage(cpu0);
    const counted = statements;
    await runner.stop({ graceMs: 5000 });
    await database.close();
    console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, statements: counted }));
    break;
  }
}
process.exit(0);
