// The figure for docs/mcp.md: how many tool calls an agent needs from "I need read access to bucket orders in
// account Spoke for 2 hours" to an approval-ready request, and on to a working AWS call. A scripted agent (the
// fewest calls the tool descriptions lead to) runs over /mcp against the real server and the emulator; every
// tools/call is counted; the approval is the human's (over the API, not counted).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call } from '../http/harness.ts';
import { callTool, connectHttp, type McpWorld, startMcpWorld } from './fixtures.ts';

let world: McpWorld;
let agent: Client;
before(async () => {
  world = await startMcpWorld();
  agent = await connectHttp(world.server.url, world.alice.token);
});
after(async () => {
  await agent?.close();
  await world?.close();
});

test('read access to a bucket: 1 tool call to approval-ready, 3 to a working AWS call', async () => {
  const calls: string[] = [];
  const tool = (name: string, args: Record<string, unknown>) => {
    calls.push(name);
    return callTool(agent, name, args);
  };

  // "account Spoke" is a name: submit_role_request takes it as the user said it.
  const submitted = await tool('submit_role_request', {
    account_ids: ['Spoke'],
    access_type: 'read-only',
    actions: ['s3:GetObject', 's3:ListBucket'],
    resources: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'],
    duration_hours: 2,
    justification: 'Read the orders bucket for the monthly report',
  });
  assert.equal(String(submitted.data.status), 'pending', submitted.text);
  assert.deepEqual(submitted.data.account_ids as unknown, ['222222222222']);
  assert.ok(Number((submitted.data.risk as unknown as { score: number }).score) >= 1);
  const approvalReady = calls.length;

  // The human approver (not a tool call of this agent).
  const id = String(submitted.data.id);
  const approved = await call(world.server, 'POST', `/api/v1/requests/${id}/approve`, {
    token: world.bob.token,
    body: {},
  });
  assert.equal(approved.status, 200, approved.text);

  const active = await tool('wait_for_request', { request_id: id, timeout_seconds: 60 });
  assert.equal(String(active.data.status), 'active', active.text);
  // An agent with a shell runs the printed `iam-jit creds … --write-profile` instead; one that only has MCP asks
  // for the keys, which is what this agent does (the user asked it to work with the bucket).
  const creds = await tool('get_credentials', { request_id: id, reveal_secrets: true });
  const c = creds.data.credentials as unknown as {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
  };
  const sts = new STSClient({
    endpoint: world.aws.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    },
  });
  const me = await sts.send(new GetCallerIdentityCommand({}));
  assert.match(me.Arn ?? '', /assumed-role\/iam-jit-grt_/);

  assert.deepEqual(calls, ['submit_role_request', 'wait_for_request', 'get_credentials']);
  assert.equal(approvalReady, 1);
});
