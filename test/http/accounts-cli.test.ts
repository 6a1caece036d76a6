// `iam-jit accounts list|create|update` against a real server over a real socket (SQLite): create with a permission
// set, update sets and clears it (`none`), the server's 400 naming the field exits 1 with its message, and a
// non-admin's write is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import { registerAccountsCommand } from '../../src/cli/accounts-command.ts';
import type { CliIo, CliState } from '../../src/cli/context.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { startTestServer, type TestServer } from './harness.ts';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let server: TestServer;
let adminToken = '';
let bobToken = '';

before(async () => {
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.database.db);
  server = await startTestServer(db.database);
  adminToken = (await seedUser(db.database, { id: 'email:admin@x.com', roles: ['admin'] })).token;
  bobToken = (await seedUser(db.database, { id: 'email:bob@x.com', roles: ['approver'] })).token;
});
after(async () => {
  await server.close();
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
  registerAccountsCommand(program, io, state, {
    env: { IAM_JIT_BASE_URL: server.url, IAM_JIT_API_TOKEN: token },
  });
  await program.parseAsync(['node', 'iam-jit', 'accounts', ...args]);
  return { code: state.exitCode, out, err };
}

test('accounts create/update/list with --permission-set-arn', async () => {
  const created = await cli(
    adminToken,
    'create',
    '333333333333',
    '--name',
    'Identity Center',
    '--environment',
    'nonprod',
    '--provisioning-mode',
    'identity_center',
    '--approvers',
    'email:bob@x.com, email:carol@x.com',
    '--permission-set-arn',
    PS,
  );
  assert.equal(created.code, 0, created.err);
  assert.equal(created.out, `333333333333  nonprod  identity_center  ${PS}  Identity Center\n`);
  const stored = await server.services.accounts.get('333333333333');
  assert.equal(stored?.permissionSetArn, PS);
  assert.deepEqual(stored?.approvers, ['email:bob@x.com', 'email:carol@x.com']);

  const cleared = await cli(adminToken, 'update', '333333333333', '--permission-set-arn', 'none', '--json');
  assert.equal(cleared.code, 0, cleared.err);
  assert.equal(JSON.parse(cleared.out).permission_set_arn, null);
  assert.equal((await server.services.accounts.get('333333333333'))?.permissionSetArn, null);

  const bad = await cli(adminToken, 'update', '333333333333', '--permission-set-arn', 'ps-123');
  assert.equal(bad.code, 1);
  assert.equal(
    bad.err,
    'iam-jit accounts: InvalidInput: permission_set_arn: must be an IAM Identity Center permission set ARN (arn:aws:sso:::permissionSet/ssoins-…/ps-…)\n',
  );
  const onRole = await cli(
    adminToken,
    'create',
    '444444444444',
    '--name',
    'Roles',
    '--environment',
    'prod',
    '--permission-set-arn',
    PS,
  );
  assert.equal(onRole.code, 1);
  assert.match(onRole.err, /permission_set_arn: is only valid when provisioning_mode is identity_center/);
  assert.equal(await server.services.accounts.get('444444444444'), undefined);

  const refused = await cli(bobToken, 'update', '333333333333', '--permission-set-arn', PS);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /admin role required/);
  const nothing = await cli(adminToken, 'update', '333333333333');
  assert.equal(nothing.code, 1);
  assert.equal(nothing.err, 'iam-jit accounts: nothing to change: give at least one option\n');

  const listed = await cli(bobToken, 'list');
  assert.equal(listed.out, '333333333333  nonprod  identity_center  per-grant  Identity Center\n');
});
