// `iam-jit serve`, `migrate` and `seed-admin` as a deployment runs them, on both dialects: migrations on start,
// the dev-mode bootstrap admin and its one-time link, config knobs and config errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CliIo, CliState } from '../../src/cli/context.ts';
import { runMigrateCommand } from '../../src/cli/migrate-command.ts';
import { runSeedAdminCommand } from '../../src/cli/seed-admin-command.ts';
import { runServeCommand } from '../../src/cli/serve-command.ts';
import { DIALECTS } from '../../src/store/db.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { postgresAvailability } from '../support/postgres.ts';
import { call } from './harness.ts';

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(s: string) {
      io.out += s;
    },
    stderr(s: string) {
      io.err += s;
    },
  };
  return io;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && postgresAvailability() === 'skip') continue;
  describe(`iam-jit serve/migrate/seed-admin [${dialect}]`, () => {
    test('serve --dev-by-default migrates, creates the bootstrap admin, prints a working one-time link, and stops cleanly', async () => {
      const db = await openTestDatabase(dialect);
      await db.database.close();
      try {
        const io = captureIo();
        const state: CliState = { exitCode: 0 };
        const env = {
          IAM_JIT_DATABASE_URL: db.url,
          IAM_JIT_PORT: '0',
          IAM_JIT_ADMIN_EMAIL: 'Boss@Example.com',
          IAM_JIT_LOG_LEVEL: 'silent',
        };
        let seen = '';
        await runServeCommand({ devByDefault: true }, io, state, {
          env,
          until: async (server) => {
            seen = server.url;
            assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.equal((await call(server, 'GET', '/readyz')).status, 200);
            const link = /sign-in link \(15 minutes\): (\S+)/.exec(io.out)?.[1] ?? '';
            assert.ok(link.startsWith(`${server.url}/login/callback?token=`), io.out);
            const token = new URL(link).searchParams.get('token');
            const signed = await call(server, 'POST', '/api/v1/auth/callback', { body: { token } });
            assert.equal(signed.status, 200);
            assert.equal(signed.body.user?.user_id, 'email:boss@example.com');
            assert.deepEqual(signed.body.user?.roles, ['requester', 'approver', 'admin']);
          },
        });
        assert.equal(state.exitCode, 0, io.err);
        assert.match(io.out, /migrated: /);
        assert.match(io.out, /bootstrap admin email:boss@example\.com created/);
        assert.match(io.out, /bound to 127\.0\.0\.1:/);
        assert.match(io.out, /shutting down/);
        await assert.rejects(fetch(`${seen}/healthz`));

        // A second start: nothing to migrate, the admin exists, a new link is printed.
        const again = captureIo();
        const port = await freePort();
        await runServeCommand({ devByDefault: true, port: String(port) }, again, state, {
          env,
          until: async (server) => assert.equal(server.url, `http://127.0.0.1:${port}`),
        });
        assert.doesNotMatch(again.out, /migrated: /);
        assert.match(again.out, /bootstrap admin email:boss@example\.com exists/);
        assert.match(again.out, /sign-in link/);
      } finally {
        await db.dispose();
      }
    });

    test('migrate --status lists pending migrations (exit 1), migrate applies them, then status is clean', async () => {
      const db = await openTestDatabase(dialect);
      await db.database.close();
      try {
        const env = { IAM_JIT_DATABASE_URL: db.url, IAM_JIT_DEV_MODE: 'true' };
        const io1 = captureIo();
        const s1: CliState = { exitCode: 0 };
        await runMigrateCommand({ status: true }, io1, s1, { env });
        assert.equal(s1.exitCode, 1);
        assert.match(io1.out, /pending {2}2026-11-23-01-identity/);
        const io2 = captureIo();
        const s2: CliState = { exitCode: 0 };
        await runMigrateCommand({}, io2, s2, { env });
        assert.equal(s2.exitCode, 0, io2.err);
        assert.match(io2.out, /applied: .*2026-11-23-01-identity/);
        const io3 = captureIo();
        const s3: CliState = { exitCode: 0 };
        await runMigrateCommand({ status: true }, io3, s3, { env });
        assert.equal(s3.exitCode, 0);
        assert.doesNotMatch(io3.out, /pending/);
      } finally {
        await db.dispose();
      }
    });

    test('seed-admin --email creates or promotes an admin, idempotently; a bad address exits 2', async () => {
      const db = await openTestDatabase(dialect);
      await db.database.close();
      try {
        const env = { IAM_JIT_DATABASE_URL: db.url, IAM_JIT_SECRET_KEY: 'b'.repeat(64) };
        const io = captureIo();
        const state: CliState = { exitCode: 0 };
        await runSeedAdminCommand({ email: 'ops@example.com', printLink: true }, io, state, { env });
        assert.equal(state.exitCode, 0, io.err);
        assert.match(io.out, /email:ops@example\.com is now an enabled admin/);
        assert.match(
          io.out,
          /one-time sign-in link \(15 minutes\): http:\/\/127\.0\.0\.1:8080\/login\/callback\?token=/,
        );
        const again = captureIo();
        await runSeedAdminCommand({ email: 'ops@example.com' }, again, state, { env });
        assert.match(again.out, /is already an enabled admin/);
        assert.doesNotMatch(again.out, /sign-in link/);
        const bad = captureIo();
        const badState: CliState = { exitCode: 0 };
        await runSeedAdminCommand({ email: 'not an email' }, bad, badState, { env });
        assert.equal(badState.exitCode, 2);
      } finally {
        await db.dispose();
      }
    });
  });
}

describe('iam-jit serve configuration', () => {
  test('without dev mode a missing IAM_JIT_SECRET_KEY stops start-up with the variable named (exit 2)', async () => {
    const io = captureIo();
    const state: CliState = { exitCode: 0 };
    await runServeCommand({}, io, state, { env: { IAM_JIT_PORT: '0' } });
    assert.equal(state.exitCode, 2);
    assert.match(io.err, /IAM_JIT_SECRET_KEY: required outside dev mode/);
  });

  test('--dev-by-default yields to IAM_JIT_DEV_MODE=false and to dev_mode in iam-jit.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-jit-serve-'));
    try {
      const io = captureIo();
      const state: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true }, io, state, { env: { IAM_JIT_DEV_MODE: 'false' } });
      assert.equal(state.exitCode, 2);
      assert.match(io.err, /IAM_JIT_SECRET_KEY/);
      const file = join(dir, 'iam-jit.yaml');
      writeFileSync(file, 'dev_mode: false\n');
      const io2 = captureIo();
      const state2: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true }, io2, state2, { env: { IAM_JIT_CONFIG: file } });
      assert.equal(state2.exitCode, 2);
      assert.match(io2.err, /IAM_JIT_SECRET_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the accounts: section of iam-jit.yaml is loaded at start-up; an invalid one stops start-up (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-jit-serve-'));
    try {
      const file = join(dir, 'iam-jit.yaml');
      writeFileSync(
        file,
        "accounts:\n  - id: '123456789012'\n    name: sandbox\n    environment: nonprod\n    spoke_role_arn: arn:aws:iam::123456789012:role/iam-jit-spoke\n",
      );
      const env = {
        IAM_JIT_CONFIG: file,
        IAM_JIT_DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
        IAM_JIT_PORT: '0',
        IAM_JIT_LOG_LEVEL: 'silent',
      };
      const io = captureIo();
      const state: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true }, io, state, {
        env,
        until: async (server) => assert.ok(await server.services.accounts.get('123456789012')),
      });
      assert.equal(state.exitCode, 0, io.err);
      assert.match(io.out, /accounts from iam-jit\.yaml: 1 created, 0 updated, 0 unchanged/);
      writeFileSync(file, "accounts:\n  - id: '123456789012'\n    name: sandbox\n    environmnet: nonprod\n");
      const bad = captureIo();
      const badState: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true }, bad, badState, {
        env,
        until: async () => assert.fail('should not start'),
      });
      assert.equal(badState.exitCode, 1);
      assert.match(bad.err, /accounts\[0\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('IAM_JIT_HOST chooses the interface; links keep the loopback base URL for a wildcard host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-jit-serve-'));
    try {
      const io = captureIo();
      const state: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true }, io, state, {
        env: {
          IAM_JIT_HOST: '0.0.0.0',
          IAM_JIT_PORT: '0',
          IAM_JIT_DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
          IAM_JIT_LOG_LEVEL: 'silent',
        },
        until: async (server) => assert.equal((await call(server, 'GET', '/healthz')).status, 200),
      });
      assert.equal(state.exitCode, 0, io.err);
      assert.match(io.out, /listening on http:\/\/127\.0\.0\.1:\d+ \(bound to 0\.0\.0\.0:\d+\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port already in use fails start-up with exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const { port } = blocker.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), 'iam-jit-serve-'));
    try {
      const io = captureIo();
      const state: CliState = { exitCode: 0 };
      await runServeCommand({ devByDefault: true, port: String(port) }, io, state, {
        env: { IAM_JIT_DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, IAM_JIT_LOG_LEVEL: 'silent' },
        until: async () => assert.fail('should not start'),
      });
      assert.equal(state.exitCode, 1);
      assert.match(io.err, /EADDRINUSE/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
