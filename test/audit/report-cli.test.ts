// `iam-jit report …` through the typed client against a real server: JSON and CSV for admins, the API's refusal
// for others (exit 1), argument mistakes caught before any call (exit 2).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { registerReportCommand } from '../../src/cli/report-command.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { call, startTestServer, type TestServer } from '../http/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

let opened: Awaited<ReturnType<typeof openTestDatabase>>;
let server: TestServer;
let admin: SeededUser;
let alice: SeededUser;

before(async () => {
  opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  server = await startTestServer(opened.database);
  admin = await seedUser(opened.database, { id: 'email:admin@x.com', roles: ['admin'] });
  alice = await seedUser(opened.database, { id: 'email:alice@x.com' });
  const created = await call(server, 'POST', '/api/v1/accounts', {
    token: admin.token,
    body: { id: '111122223333', name: 'Dev', environment: 'nonprod', approvers: ['email:admin@x.com'] },
  });
  assert.equal(created.status, 201);
  const submitted = await call(server, 'POST', '/api/v1/requests', {
    token: alice.token,
    body: {
      account_ids: ['111122223333'],
      actions: ['iam:ListRoles'],
      justification: '+1 for "roles", please',
      duration_hours: 1,
    },
  });
  assert.equal(submitted.status, 201, submitted.text);
});
after(async () => {
  await server.close();
  await opened.dispose();
});

async function cli(args: string[], token: string | null = admin.token) {
  const out: string[] = [];
  const err: string[] = [];
  const state = { exitCode: 0 };
  const program = new Command().exitOverride();
  registerReportCommand(program, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, state, {
    env: { IAM_JIT_BASE_URL: server.url, ...(token === null ? {} : { IAM_JIT_API_TOKEN: token }) },
  });
  await program.parseAsync(['report', ...args], { from: 'user' });
  return { out: out.join(''), err: err.join(''), code: state.exitCode };
}

test('admins get JSON by default and CSV with --format csv', async () => {
  const json = await cli(['risk-distribution', '--account', '111122223333']);
  assert.equal(json.code, 0, json.err);
  const body = JSON.parse(json.out) as { summary: { total_requests: number }; items: unknown[] };
  assert.equal(body.summary.total_requests, 1);
  assert.equal(body.items.length, 10 + 4 + 1);
  const activity = await cli([
    'activity',
    '--user',
    'email:alice@x.com',
    '--format',
    'csv',
    '--since',
    '2020-01-01',
  ]);
  assert.equal(activity.code, 0, activity.err);
  const rows = parse(activity.out) as string[][];
  assert.deepEqual(rows[0], ['seq', 'at', 'actor', 'action', 'subject', 'relation', 'data']);
  assert.ok(rows.some((r) => r[3] === 'request.submitted' && r[5] === 'did'));
  const approvals = await cli(['approvals', '--approver', 'email:admin@x.com', '--limit', '5']);
  assert.equal(approvals.code, 0, approvals.err);
  assert.deepEqual((JSON.parse(approvals.out) as { items: unknown[] }).items, []);
  const grants = await cli(['grants', '--status', 'active', '--format', 'csv']);
  assert.equal(grants.code, 0, grants.err);
  assert.match(grants.out, /^grant_id,request_id,account_id,/);
});

test('non-admins get the API refusal (exit 1); a bad date is the API 400 naming the field', async () => {
  const denied = await cli(['grants'], alice.token);
  assert.equal(denied.code, 1);
  assert.equal(denied.err, 'Forbidden: admin role required\n');
  assert.equal(denied.out, '');
  const deniedCsv = await cli(['grants', '--format', 'csv'], alice.token);
  assert.equal(deniedCsv.code, 1);
  assert.equal(deniedCsv.err, 'Forbidden: admin role required\n');
  assert.equal(deniedCsv.out, '');
  const bad = await cli(['grants', '--since', 'last week']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^InvalidRequest: since: since must be an ISO-8601 date/);
});

test('argument mistakes exit 2 before calling the server', async () => {
  for (const [args, message] of [
    [['everything'], /unknown report "everything"/],
    [['grants', '--user', 'email:a@x.com'], /--user applies to the activity report\(s\) only/],
    [
      ['activity', '--account', '111122223333'],
      /--account applies to the grants and risk-distribution report\(s\) only/,
    ],
    [['risk-distribution', '--limit', '5'], /--limit does not apply to risk-distribution/],
    [['approvals', '--limit', 'many'], /--limit must be a positive integer/],
    [['grants', '--format', 'xlsx'], /--format must be json or csv/],
  ] as const) {
    const r = await cli([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
  }
  const noToken = await cli(['grants'], null);
  assert.equal(noToken.code, 2);
  assert.equal(noToken.err, 'IAM_JIT_API_TOKEN is not set\n');
});
