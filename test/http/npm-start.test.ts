// What `npm start` promises (README quick start): on its embedded defaults — SQLite, dev-mode sign-in links and the
// built-in AWS emulator — the whole loop works: sign in, request, approve, provisioned grant, vended credentials
// that work for the granted action and fail for others, approval timeouts scheduled.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import type { CliState } from '../../src/cli/context.ts';
import { loadServerConfig, runServeCommand } from '../../src/cli/serve-command.ts';
import type { RunningServer } from '../../src/server.ts';
import { call, list } from './harness.ts';

/** Signs in with a one-time link and mints an API token for that user (as a person does in the UI). */
async function tokenFromLink(server: RunningServer, link: string): Promise<string> {
  const signed = await call(server, 'POST', '/api/v1/auth/callback', {
    body: { token: new URL(link).searchParams.get('token') },
  });
  assert.equal(signed.status, 200, signed.text);
  const cookie =
    signed.headers
      .getSetCookie()
      .find((c) => c.startsWith('iam_jit_session='))
      ?.split(';')[0] ?? '';
  const minted = await call(server, 'POST', '/api/v1/tokens', {
    headers: { cookie, origin: server.url },
    body: { label: 'test' },
  });
  assert.equal(minted.status, 201, minted.text);
  return String(minted.body.token);
}

test('npm start: sign in, request, approve, provisioned grant and working credentials on the built-in emulator', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-start-'));
  const out: string[] = [];
  const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s) };
  const state: CliState = { exitCode: 0 };
  try {
    await runServeCommand({ devByDefault: true }, io, state, {
      env: {
        IAM_JIT_DATABASE_URL: `sqlite:${join(dir, 'iam-jit.db')}`,
        IAM_JIT_PORT: '0',
        IAM_JIT_LOG_LEVEL: 'silent',
      },
      until: async (server) => {
        assert.ok(server.localAwsUrl, out.join(''));
        const adminLink = /sign-in link \(15 minutes\): (\S+)/.exec(out.join(''))?.[1] ?? '';
        const admin = await tokenFromLink(server, adminLink);
        assert.equal(
          (
            await call(server, 'POST', '/api/v1/users', {
              token: admin,
              body: { user_id: 'email:alice@example.com' },
            })
          ).status,
          201,
        );
        const login = await call(server, 'POST', '/api/v1/auth/login', {
          body: { email: 'alice@example.com' },
        });
        const alice = await tokenFromLink(server, String(login.body.dev_login_url));

        // The sandbox account is registered with the bootstrap admin as its approver.
        const accounts = await call(server, 'GET', '/api/v1/accounts', { token: alice });
        assert.deepEqual(
          list(accounts.body.accounts).map((a) => String(a.id)),
          ['222222222222'],
        );
        const submitted = await call(server, 'POST', '/api/v1/requests', {
          token: alice,
          body: {
            account_ids: ['222222222222'],
            actions: ['iam:ListRoles'],
            justification: 'inventory the roles',
            duration_hours: 1,
          },
        });
        assert.equal(submitted.status, 201, submitted.text);
        const id = String(submitted.body.request?.id);
        assert.ok(submitted.body.request?.approval_deadline);
        const approved = await call(server, 'POST', `/api/v1/requests/${id}/approve`, {
          token: admin,
          body: {},
        });
        assert.equal(approved.status, 200, approved.text);

        // Provisioning runs as a job right after the approval commits.
        let status = '';
        for (let i = 0; i < 100 && status !== 'active'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          const got = await call(server, 'GET', `/api/v1/requests/${id}`, { token: alice });
          status = String(got.body.request?.status);
        }
        assert.equal(status, 'active');
        const grants = await call(server, 'GET', `/api/v1/grants?request_id=${id}`, { token: alice });
        const grantId = String(list(grants.body.items)[0]?.id);
        const creds = await call(server, 'GET', `/api/v1/grants/${grantId}/credentials`, { token: alice });
        assert.equal(creds.status, 200, creds.text);
        assert.equal(Number(creds.body.Version), 1);

        const iam = new IAMClient({
          endpoint: server.localAwsUrl,
          region: 'us-east-1',
          maxAttempts: 1,
          credentials: {
            accessKeyId: String(creds.body.AccessKeyId),
            secretAccessKey: String(creds.body.SecretAccessKey),
            sessionToken: String(creds.body.SessionToken),
          },
        });
        const roles = await iam.send(new ListRolesCommand({}));
        assert.ok(roles.Roles?.some((r) => r.RoleName === `iam-jit-${grantId}`));
        await assert.rejects(
          iam.send(new CreateRoleCommand({ RoleName: 'sneaky', AssumeRolePolicyDocument: '{}' })),
          (e: Error) => e.name === 'AccessDenied',
        );
        iam.destroy();
      },
    });
    assert.equal(state.exitCode, 0, out.join(''));
    assert.match(
      out.join(''),
      /local AWS: account 222222222222 \(Sandbox \(local AWS emulator\)\) registered/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve --dev-by-default turns the emulator on only when nothing else is configured', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'iam-jit-cfg-'));
  try {
    assert.equal(loadServerConfig({}, { devByDefault: true, cwd }).provisioning?.localAws, true);
    assert.equal(
      loadServerConfig({}, { cwd, overrides: { IAM_JIT_DEV_MODE: 'true' } }).provisioning,
      undefined,
    );
    assert.equal(
      loadServerConfig({ IAM_JIT_LOCAL_AWS: 'false' }, { devByDefault: true, cwd }).provisioning,
      undefined,
    );
    const real = loadServerConfig(
      { IAM_JIT_VENDING_PRINCIPAL_ARN: 'arn:aws:iam::111111111111:role/iam-jit-hub' },
      { devByDefault: true, cwd },
    );
    assert.equal(real.provisioning?.localAws, false);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
