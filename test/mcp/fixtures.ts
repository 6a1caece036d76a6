// A real iam-jit server (SQLite, port 0) with a requester, an approver and an admin, one account, and helpers to
// connect the official MCP SDK client over stdio (bin/iam-jit-mcp.js) or Streamable HTTP (/mcp).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { call, startTestServer, type TestServer } from '../http/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

/** The account the suites request access to (approver: bob, quorum 1, at most 4 h). */
export const PROD = '111122223333';
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'iam-jit-mcp.js');

/** A running server and its seeded users. */
export interface McpWorld {
  readonly server: TestServer;
  readonly alice: SeededUser;
  readonly bob: SeededUser;
  readonly admin: SeededUser;
  close(): Promise<void>;
}

/**
 * Starts the world on SQLite. The MCP layer never touches the database (it goes through the API), so the
 * dialect loop of the store suites adds nothing here.
 */
export async function startMcpWorld(): Promise<McpWorld> {
  const opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  const server = await startTestServer(opened.database);
  const alice = await seedUser(opened.database, { id: 'email:alice@x.com' });
  const bob = await seedUser(opened.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
  const admin = await seedUser(opened.database, { id: 'email:admin@x.com', roles: ['admin'] });
  const r = await call(server, 'POST', '/api/v1/accounts', {
    token: admin.token,
    body: { id: PROD, name: 'Prod', environment: 'prod', approvers: [bob.user.id], max_duration_hours: 4 },
  });
  assert.equal(r.status, 201, r.text);
  return {
    server,
    alice,
    bob,
    admin,
    async close() {
      await server.close();
      await opened.dispose();
    },
  };
}

/** The official SDK client talking to `bin/iam-jit-mcp.js` over stdio; `stderr` collects the child's log. */
export async function connectStdio(
  url: string,
  token: string,
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: { PATH: process.env.PATH ?? '', IAM_JIT_BASE_URL: url, IAM_JIT_API_TOKEN: token },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const client = new Client({ name: 'iam-jit-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => log };
}

/** The official SDK client talking to `<url>/mcp` with a bearer token. */
export async function connectHttp(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'iam-jit-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

/** A tool result's structured content as a loosely typed record. */
export type Data = { readonly [key: string]: Data } & { readonly length?: number };

/** Calls a tool and returns its result, asserting it did (or did not) fail. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  { expectError = false }: { expectError?: boolean } = {},
): Promise<{ data: Data; text: string; result: CallToolResult }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  assert.equal(result.isError === true, expectError, `${name}: ${text}`);
  return { data: (result.structuredContent ?? {}) as Data, text, result };
}
