// The stdio binary with the official SDK client, against a real server on port 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { runApprovalFlow } from './approval-flow.ts';
import { BIN, callTool, connectStdio, type McpWorld, startMcpWorld } from './fixtures.ts';

/** Runs the binary to its end with `env` and empty stdin (async: the server it calls lives in this process). */
function runBin(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  child.stdin.end();
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('iam-jit-mcp over stdio', () => {
  let world: McpWorld;
  let requester: { client: Client; stderr: () => string };
  let approver: { client: Client; stderr: () => string };
  before(async () => {
    world = await startMcpWorld();
    [requester, approver] = await Promise.all([
      connectStdio(world.server.url, world.alice.token),
      connectStdio(world.server.url, world.bob.token),
    ]);
  });
  after(async () => {
    await Promise.all([requester?.client.close(), approver?.client.close()]);
    await world?.close();
  });

  test('requester and approver agents: draft, changes, narrowed revision, approval, working credentials', async () => {
    const { id, grantId } = await runApprovalFlow(world, requester.client, approver.client);
    const how = await callTool(requester.client, 'get_assume_instructions', { request_id: id });
    assert.match(
      how.text,
      new RegExp(`grant ${grantId} active until .*\\n\\[profile iam-jit-222222222222\\]`),
    );
    assert.match(
      String((how.data.grants as unknown as { role_arn: string }[])[0]?.role_arn),
      /:role\/iam-jit\/iam-jit-grt_|:role\/.*iam-jit-grt_/,
    );
    // The grants report is admin-only: an approver's agent gets the API's refusal as a tool error.
    const report = await callTool(approver.client, 'report_grants', {}, { expectError: true });
    assert.equal(String(report.data.error?.code), 'Forbidden');
    assert.match(report.text, /admin role required/);
    const revoked = await callTool(requester.client, 'revoke_grant', { grant_id: grantId, reason: 'done' });
    assert.ok(['revoking', 'revoked'].includes(String(revoked.data.status)), revoked.text);
  });

  test('whoami names the token owner; the start-up line goes to stderr', async () => {
    const me = await callTool(requester.client, 'whoami', {});
    assert.equal(String(me.data.user_id), 'email:alice@x.com');
    assert.match(requester.stderr(), /connected to http:\/\/127\.0\.0\.1:\d+ as email:alice@x\.com/);
  });

  test('API errors come back as tool errors with the API message', async () => {
    const r = await callTool(
      requester.client,
      'get_request',
      { request_id: 'req_nope' },
      { expectError: true },
    );
    assert.equal(String(r.data.error?.code), 'NotFound');
    assert.match(r.text, /HTTP 404/);
  });

  test('missing or bad settings: a clear message on stderr, nothing on stdout, exit 2', async () => {
    const r = await runBin({ IAM_JIT_BASE_URL: 'ftp://x', IAM_JIT_API_TOKEN: '' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /IAM_JIT_BASE_URL must be http\(s\): ftp:\/\/x/);
    assert.match(r.stderr, /IAM_JIT_API_TOKEN is not set/);
  });

  test('a token the server does not know: the API message on stderr, exit 1', async () => {
    const r = await runBin({
      IAM_JIT_BASE_URL: world.server.url,
      IAM_JIT_API_TOKEN: `iamjit_${'x'.repeat(43)}`,
    });
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /refused IAM_JIT_API_TOKEN: (bearer token not found|invalid bearer token format)/);
    assert.equal(r.status, 1);
  });
});
