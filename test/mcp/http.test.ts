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
    // The requester asks for an extension (a request approvers decide on); an approver of the account extends directly.
    const asked = await callTool(requester, 'extend_grant', {
      grant_id: grantId,
      hours: 1,
      reason: 'the migration runs long',
    });
    assert.match(asked.text, new RegExp(`^Extension of grant ${grantId} by 1 h requested as req_`));
    assert.match(String(asked.data.extension_request_id), /^req_/);
    const extended = await callTool(approver, 'extend_grant', {
      grant_id: grantId,
      hours: 1,
      reason: 'the migration runs long',
    });
    assert.match(extended.text, new RegExp(`^Grant ${grantId} now ends `));
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
    // The grants report (admin): the grant of the approval flow above, with its approver and risk score.
    const report = await callTool(admin, 'report_grants', {
      account_id: '222222222222',
      since: '2026-01-01',
    });
    assert.match(
      report.text,
      /^1 grant\(s\)\.\ngrt_\w+ active email:alice@x\.com in 222222222222 \S+ → \S+ risk \d+ approved by email:bob@x\.com\n/,
    );
    const items = report.data.items as unknown as { justification: string; account_name: string }[];
    assert.equal(items[0]?.account_name, 'Spoke');
    assert.equal(String(report.data.summary?.count), '1');
    const refused = await callTool(approver, 'report_grants', {}, { expectError: true });
    assert.equal(String(refused.data.error?.message), 'admin role required');
  });

  test('the other request tools: preview, analyze and its alias, edit by the approver, comment, reject, cancel', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
    };
    const analyzed = await callTool(requester, 'analyze_policy', { policy, environment: 'prod' });
    const scored = await callTool(requester, 'score_iam_policy', { policy, environment: 'prod' });
    assert.deepEqual(scored.data, analyzed.data);
    assert.ok(Number((analyzed.data.risk as unknown as { score: number }).score) >= 7, analyzed.text);

    const preview = await callTool(requester, 'preview_request', {
      account_ids: ['spoke'],
      actions: ['iam:ListRoles'],
      duration_hours: 1,
    });
    assert.match(preview.text, /^Valid request for 222222222222 for 1 h; risk \d+\/10/);
    const before = await callTool(requester, 'list_my_requests', {});

    const wide = await callTool(requester, 'submit_role_request', {
      account_ids: ['Spoke'],
      policy,
      justification: 'Fix roles',
      duration_hours: 3,
    });
    const id = String(wide.data.id);
    const edited = await callTool(approver, 'edit_request', {
      request_id: id,
      actions: ['iam:ListRoles'],
      duration_hours: 1,
      comment: 'Listing is enough',
    });
    assert.equal(Number(edited.data.current_revision), 2);
    assert.equal(Number(edited.data.duration_hours), 1);
    assert.ok(
      Number((edited.data.risk as unknown as { score: number }).score) <
        Number((wide.data.risk as unknown as { score: number }).score),
    );
    const comment = await callTool(requester, 'comment_on_request', { request_id: id, body: 'Thanks' });
    assert.equal(String(comment.data.body), 'Thanks');
    const rejected = await callTool(approver, 'reject_request', { request_id: id, reason: 'Not this week' });
    assert.equal(String(rejected.data.status), 'rejected');
    assert.equal(String(rejected.data.rejection_reason), 'Not this week');

    const other = await callTool(requester, 'submit_role_request', {
      account_ids: ['222222222222'],
      actions: ['iam:ListRoles'],
      justification: 'Later',
      duration_hours: 1,
    });
    const cancelled = await callTool(requester, 'cancel_request', { request_id: String(other.data.id) });
    assert.equal(String(cancelled.data.status), 'cancelled');
    const mine = await callTool(requester, 'list_my_requests', { status: 'cancelled' });
    assert.deepEqual(
      (mine.data.requests as unknown as { id: string }[]).map((r) => r.id),
      [String(other.data.id)],
    );
    const all = await callTool(requester, 'list_my_requests', {});
    assert.equal(
      (all.data.requests as unknown as unknown[]).length,
      (before.data.requests as unknown as unknown[]).length + 2,
    );
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
