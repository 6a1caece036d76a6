// The Streamable HTTP endpoint /mcp of the server itself, with the official SDK client.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { runApprovalFlow } from './approval-flow.ts';
import { callTool, connectHttp, type McpWorld, startMcpWorld } from './fixtures.ts';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

describe('/mcp over Streamable HTTP', () => {
  let world: McpWorld;
  let requester: Client;
  let approver: Client;
  let admin: Client;
  before(async () => {
    world = await startMcpWorld();
    [requester, approver, admin] = await Promise.all([
      connectHttp(world.server.url, world.alice.token),
      connectHttp(world.server.url, world.bob.token),
      connectHttp(world.server.url, world.admin.token),
    ]);
  });
  after(async () => {
    await Promise.all([requester?.close(), approver?.close(), admin?.close()]);
    await world?.close();
  });

  test('requester and approver agents: draft, changes, narrowed revision, approval, working credentials', async () => {
    const { grantId } = await runApprovalFlow(world, requester, approver);
    const extended = await callTool(
      requester,
      'extend_grant',
      { grant_id: grantId, hours: 1 },
      { expectError: true },
    );
    assert.equal(String(extended.data.error?.code), 'MissingCapability');
  });

  test('admin tools follow the API role rules', async () => {
    const users = await callTool(admin, 'list_users', { role: 'approver' });
    assert.deepEqual(
      (users.data.users as unknown as { user_id: string }[]).map((u) => u.user_id),
      ['email:bob@x.com'],
    );
    const denied = await callTool(requester, 'list_users', {}, { expectError: true });
    assert.match(denied.text, /admin role required/);
    const registered = await callTool(admin, 'register_account', {
      id: '444455556666',
      name: 'Dev',
      environment: 'nonprod',
      approvers: ['email:bob@x.com'],
    });
    assert.equal(String(registered.data.id), '444455556666');
    const accounts = await callTool(requester, 'list_accounts', {});
    assert.match(accounts.text, /444455556666 Dev \(nonprod/);
  });

  test('without a bearer token: 401 with WWW-Authenticate and the API body', async () => {
    const res = await fetch(`${world.server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(INIT),
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(((await res.json()) as { error: { message: string } }).error.message, 'not authenticated');
  });

  test('DNS rebinding: a foreign Host or Origin is refused even with a valid token', async () => {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${world.alice.token}`,
    };
    const ok = await fetch(`${world.server.url}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify(INIT),
    });
    assert.equal(ok.status, 200, await ok.text());
    const evil = await fetch(`${world.server.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example' },
      body: JSON.stringify(INIT),
    });
    assert.equal(evil.status, 403);
    assert.match(await evil.text(), /Invalid Origin header/);
  });

  test("DNS rebinding: a Host other than the base URL's is refused", async () => {
    const { port } = new URL(world.server.url);
    const body = JSON.stringify(INIT);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host: `attacker.example:${port}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${world.alice.token}`,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(status, 403);
  });

  test('GET /mcp answers 405 (stateless endpoint, no SSE sessions)', async () => {
    const res = await fetch(`${world.server.url}/mcp`, {
      headers: { authorization: `Bearer ${world.alice.token}`, accept: 'text/event-stream' },
    });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });
});
