// tools/list as an MCP client sees it (in-memory transport; the API behind the client is a stub answering 404).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { createApiClient } from '../client/api-client.ts';
import { createIamJitMcpServer, TOOL_NAMES } from './mcp-server.ts';

/** The established iam-jit MCP surface (issue 8): agents know these names, so the list must not drift. */
const EXPECTED_NAMES = [
  'whoami',
  'list_accounts',
  'list_users',
  'register_account',
  'report_grants',
  'draft_policy',
  'analyze_policy',
  'score_iam_policy',
  'preview_request',
  'submit_role_request',
  'check_request_status',
  'get_request',
  'wait_for_request',
  'list_my_requests',
  'respond_to_changes',
  'cancel_request',
  'comment_on_request',
  'list_pending_requests',
  'approve_request',
  'reject_request',
  'request_changes',
  'edit_request',
  'get_assume_instructions',
  'get_credentials',
  'revoke_grant',
  'extend_grant',
];

const routeNotFound = async (req: Request) =>
  Response.json(
    { error: { code: 'RouteNotFound', message: `no route for ${req.method} ${new URL(req.url).pathname}` } },
    { status: 404 },
  );

let client: Client;
let tools: Tool[];
before(async () => {
  const api = createApiClient({ baseUrl: 'http://iam-jit.test', token: 'iamjit_x', fetch: routeNotFound });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await createIamJitMcpServer({ client: api }).connect(a);
  client = new Client({ name: 't', version: '0' });
  await client.connect(b);
  tools = (await client.listTools()).tools;
});
after(() => client.close());

test('tools/list: exactly the established names, in a stable order', () => {
  assert.deepEqual(
    tools.map((t) => t.name),
    EXPECTED_NAMES,
  );
  assert.deepEqual([...TOOL_NAMES], EXPECTED_NAMES);
});

test('every tool has a title, a description of some substance and an object input schema', () => {
  for (const t of tools) {
    assert.ok((t.description ?? '').length >= 60, `${t.name}: description too short`);
    assert.ok((t.title ?? '').length > 0, `${t.name}: no title`);
    assert.equal(t.inputSchema.type, 'object', t.name);
    if (t.name !== 'whoami')
      assert.ok(Object.keys(t.inputSchema.properties ?? {}).length > 0, `${t.name}: no input properties`);
  }
});

test('input schemas carry a description on every property (an LLM reads them)', () => {
  const missing: string[] = [];
  for (const t of tools)
    for (const [name, schema] of Object.entries(t.inputSchema.properties ?? {}))
      if (typeof (schema as { description?: unknown }).description !== 'string')
        missing.push(`${t.name}.${name}`);
  assert.deepEqual(missing, [], 'properties without a description');
});

test('the request tools declare the shape of their structured output', () => {
  const withOutput = tools.filter((t) => t.outputSchema !== undefined).map((t) => t.name);
  assert.deepEqual(withOutput, [
    'submit_role_request',
    'check_request_status',
    'wait_for_request',
    'respond_to_changes',
    'cancel_request',
    'approve_request',
    'reject_request',
    'request_changes',
    'edit_request',
  ]);
  const wait = tools.find((t) => t.name === 'wait_for_request')?.outputSchema;
  assert.deepEqual(wait?.required?.includes('changed'), true);
  assert.deepEqual(wait?.required?.includes('status'), true);
});

test('a tool whose route the server lacks fails with MissingCapability naming it', async () => {
  const r = (await client.callTool({
    name: 'extend_grant',
    arguments: { grant_id: 'g1', hours: 1, reason: 'longer task' },
  })) as CallToolResult;
  assert.equal(r.isError, true);
  assert.equal(r.structuredContent, undefined);
  const last = r.content.at(-1);
  const { error } = JSON.parse(last?.type === 'text' ? last.text : '{}') as {
    error: { code: string; message: string };
  };
  assert.equal(error.code, 'MissingCapability');
  assert.match(error.message, /does not offer grant extension \(POST \/api\/v1\/grants\/\{id\}\/extend\)/);
});

test('arguments the schema refuses never reach the API', async () => {
  const r = (await client.callTool({
    name: 'wait_for_request',
    arguments: { request_id: 'r', timeout_seconds: 3600 },
  })) as CallToolResult;
  assert.equal(r.isError, true);
  assert.match(JSON.stringify(r.content), /timeout_seconds/);
});

test('wait_for_request reports progress while it waits, when the caller passed a progress token', async () => {
  const statuses = ['pending', 'pending', 'rejected'];
  let reads = 0;
  const api = createApiClient({
    baseUrl: 'http://iam-jit.test',
    token: 'iamjit_x',
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      if (path !== '/api/v1/requests/req_1') return routeNotFound(req);
      const status = statuses[Math.min(reads++, statuses.length - 1)];
      return Response.json({
        request: {
          id: 'req_1',
          status,
          requester_id: 'a',
          account_ids: [],
          current_revision: 1,
          duration_hours: 1,
          access_type: 'read-only',
        },
        revisions: [],
        reviews: [],
        approvals: [],
        comments: [],
        events: [],
        grants: [],
      });
    },
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await createIamJitMcpServer({ client: api }).connect(a);
  const c = new Client({ name: 't', version: '0' });
  await c.connect(b);
  const messages: string[] = [];
  const r = (await c.callTool({ name: 'wait_for_request', arguments: { request_id: 'req_1' } }, undefined, {
    onprogress: (p) => {
      messages.push(p.message ?? '');
    },
  })) as CallToolResult;
  await c.close();
  assert.equal(r.isError, undefined, JSON.stringify(r.content));
  assert.equal((r.structuredContent as { status: string }).status, 'rejected');
  assert.equal(messages.length, 2);
  for (const m of messages) assert.match(m, /^still pending after \d+ s$/);
});
