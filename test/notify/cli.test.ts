// `iam-jit webhooks …` against a real server over a real socket (SQLite): create prints the secret once, list,
// test sends a signed ping, deliveries shows the log, delete; a non-admin token exits 1 with the API's message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import type { CliIo, CliState } from '../../src/cli/context.ts';
import { registerWebhooksCommand } from '../../src/cli/webhooks-command.ts';
import { verifySignature } from '../../src/notify/signature.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { eventually, type NotifyServer, type Receiver, startNotifyServer, startReceiver } from './harness.ts';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let server: NotifyServer;
let receiver: Receiver;
let adminToken = '';
let bobToken = '';

before(async () => {
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.database.db);
  server = await startNotifyServer(db.database);
  receiver = await startReceiver();
  adminToken = (await seedUser(db.database, { id: 'email:admin@x.com', roles: ['admin'] })).token;
  bobToken = (await seedUser(db.database, { id: 'email:bob@x.com', roles: ['approver'] })).token;
});
after(async () => {
  await server.close();
  await receiver.close();
  await db.dispose();
});

async function cli(token: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
  };
  const state: CliState = { exitCode: 0 };
  const program = new Command('iam-jit').exitOverride();
  registerWebhooksCommand(program, io, state, {
    env: { IAM_JIT_BASE_URL: server.url, IAM_JIT_API_TOKEN: token },
  });
  await program.parseAsync(['node', 'iam-jit', 'webhooks', ...args]);
  return { code: state.exitCode, out, err };
}

test('webhooks create/list/test/deliveries/delete', async () => {
  const created = await cli(
    adminToken,
    'create',
    '--url',
    `${receiver.url}/cli`,
    '--events',
    'request.submitted,grant.expired',
  );
  assert.equal(created.code, 0, created.err);
  const id = /^(whk_\w+)/.exec(created.out)?.[1];
  assert.ok(id, created.out);
  const secret = /secret: (whsec_\S+)/.exec(created.out)?.[1];
  assert.ok(secret);
  assert.match(created.err, /not shown again/);
  const listed = await cli(adminToken, 'list');
  assert.equal(listed.out, `${id}  enabled   grant.expired,request.submitted  ${receiver.url}/cli\n`);
  assert.ok(!listed.out.includes('whsec_'));

  const tested = await cli(adminToken, 'test', id);
  assert.match(tested.out, /^ping queued \(delivery dlv_\w+\)/);
  const [ping] = await receiver.waitFor(1);
  assert.ok(ping && verifySignature(secret, ping.body, String(ping.headers['x-iam-jit-signature'])));
  const log = await eventually(async () => {
    const r = await cli(adminToken, 'deliveries', id);
    return r.out.includes('delivered') ? r.out : undefined;
  });
  assert.match(log, /delivered\s+1×\s+ping\s+evt_ping_\w+\s+HTTP 200/);

  const denied = await cli(bobToken, 'list');
  assert.equal(denied.code, 1);
  assert.equal(denied.err, 'iam-jit webhooks: Forbidden: admin role required\n');
  const refused = await cli(adminToken, 'create', '--url', 'http://10.0.0.1/x');
  assert.equal(refused.code, 1);
  assert.match(refused.err, /InvalidInput: url: refused: 10\.0\.0\.1 is a private address/);

  assert.equal((await cli(adminToken, 'delete', id)).out, `deleted ${id}\n`);
  assert.equal((await cli(adminToken, 'list')).out, 'no webhook subscriptions\n');
});
