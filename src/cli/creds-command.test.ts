// iam-jit creds: caching, file modes, env quoting, AWS config profile edits. Format: AWS CLI "Sourcing credentials
// with an external process" (credential_process JSON v1) and the AWS config file layout ([profile NAME] sections).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import {
  envExports,
  registerCredsCommand,
  removeProfile,
  shellQuote,
  writeProfile,
} from './creds-command.ts';

const GRANT = 'grt_0123456789abcdefghjk';
const TOKEN = `iamjit_${'a'.repeat(43)}`;
const creds = (expiration: string) => ({
  Version: 1,
  AccessKeyId: 'ASIAEXAMPLE',
  SecretAccessKey: "se'cret",
  SessionToken: 'tok$en',
  Expiration: expiration,
});

async function run(args: string[], options: Parameters<typeof registerCredsCommand>[3]) {
  const out: string[] = [];
  const err: string[] = [];
  const state = { exitCode: 0 };
  const program = new Command().exitOverride();
  registerCredsCommand(program, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, state, options);
  await program.parseAsync(['creds', ...args], { from: 'user' });
  return { out: out.join(''), err: err.join(''), code: state.exitCode };
}

test('shell quoting survives quotes and $', () => {
  assert.equal(shellQuote("a'b$c"), `'a'\\''b$c'`);
  assert.match(
    envExports(creds('2026-01-01T00:00:00.000Z') as never),
    /export AWS_SECRET_ACCESS_KEY='se'\\''cret'\n/,
  );
});

test('fetches once, caches in a 0600 file until 5 minutes before expiry', async () => {
  const home = mkdtempSync(join(tmpdir(), 'iam-jit-creds-'));
  try {
    let now = new Date('2026-01-01T00:00:00Z');
    let calls = 0;
    const fake = (async (url: string, init: RequestInit) => {
      calls++;
      assert.equal(url, `http://broker.test/api/v1/grants/${GRANT}/credentials`);
      assert.equal((init.headers as Record<string, string>).authorization, `Bearer ${TOKEN}`);
      return new Response(JSON.stringify(creds('2026-01-01T01:00:00.000Z')), { status: 200 });
    }) as unknown as typeof fetch;
    const options = {
      env: { IAM_JIT_BASE_URL: 'http://broker.test', IAM_JIT_API_TOKEN: TOKEN },
      home,
      now: () => now,
      fetch: fake,
    };
    const first = await run([GRANT], options);
    assert.equal(first.code, 0, first.err);
    assert.equal(JSON.parse(first.out).AccessKeyId, 'ASIAEXAMPLE');
    const file = join(home, '.cache', 'iam-jit', 'creds', `${GRANT}.json`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    now = new Date('2026-01-01T00:54:00Z');
    await run([GRANT], options);
    assert.equal(calls, 1);
    now = new Date('2026-01-01T00:56:00Z');
    await run([GRANT, '--format', 'env'], options);
    assert.equal(calls, 2);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('an API refusal is reported with its code and exit 1', async () => {
  const fake = (async () =>
    new Response(JSON.stringify({ error: { code: 'GrantEndingSoon', message: 'only 840 s remain' } }), {
      status: 409,
    })) as unknown as typeof fetch;
  const home = mkdtempSync(join(tmpdir(), 'iam-jit-creds-'));
  try {
    const r = await run([GRANT], { env: { IAM_JIT_API_TOKEN: TOKEN }, home, fetch: fake });
    assert.equal(r.code, 1);
    assert.match(r.err, /GrantEndingSoon: only 840 s remain/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('write/remove profile keeps other profiles and comments', async () => {
  const original =
    '# my config\n[default]\nregion = eu-west-1\n\n[profile dev] # team\n; note\nregion = us-east-1\n';
  const written = writeProfile(original, 'jit', GRANT);
  assert.equal(
    written,
    `${original.trimEnd()}\n\n[profile jit]\ncredential_process = iam-jit creds ${GRANT}\n`,
  );
  assert.equal(writeProfile(written, 'jit', GRANT), written);
  assert.equal(removeProfile(written, 'jit').trimEnd(), original.trimEnd());
  assert.equal(removeProfile(original, 'dev'), '# my config\n[default]\nregion = eu-west-1\n');

  const home = mkdtempSync(join(tmpdir(), 'iam-jit-creds-'));
  try {
    const path = join(home, 'config');
    writeFileSync(path, original);
    const env = { AWS_CONFIG_FILE: path };
    assert.equal((await run([GRANT, '--write-profile', 'jit'], { env, home })).code, 0);
    assert.match(readFileSync(path, 'utf8'), /\[profile jit\]\ncredential_process = iam-jit creds grt_/);
    assert.equal((await run(['--remove-profile', 'jit'], { env, home })).code, 0);
    assert.equal(readFileSync(path, 'utf8').trimEnd(), original.trimEnd());
    assert.equal((await run(['not-a-grant'], { env, home })).code, 2);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
