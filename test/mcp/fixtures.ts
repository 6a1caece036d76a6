// A real iam-jit server (SQLite, port 0) with a requester, an approver and an admin, one account, and helpers to
// connect the official MCP SDK client over stdio (bin/iam-jit-mcp.js) or Streamable HTTP (/mcp).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createServices } from '../../src/app.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLog } from '../../src/http/context.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from '../grants/harness.ts';
import type { TestServer } from '../http/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

/** The account the suites request access to: the emulator's spoke (approver: bob, quorum 1, at most 4 h). */
export const PROD = SPOKE;
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'iam-jit-mcp.js');

/** A running server (with provisioning into the local AWS emulator) and its seeded users. */
export interface McpWorld {
  readonly server: Pick<TestServer, 'url'>;
  readonly aws: LocalAws;
  readonly alice: SeededUser;
  readonly bob: SeededUser;
  readonly admin: SeededUser;
  close(): Promise<void>;
}

/**
 * Starts the world on SQLite: the local AWS emulator (hub + spoke, as the grants suites use it), the real app
 * with provisioning and its job runner on the real clock, on 127.0.0.1:<free port>. The MCP layer never touches
 * the database (it goes through the API), so the dialect loop of the store suites adds nothing here.
 */
export async function startMcpWorld(): Promise<McpWorld> {
  const opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  const aws = await startLocalAws({ state: twoAccountState(new Date()) });
  let fetcher: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  let http: ReturnType<typeof serve> | undefined;
  const { port } = await new Promise<AddressInfo>((resolve) => {
    http = serve({ fetch: (req) => fetcher(req), port: 0, hostname: '127.0.0.1' }, resolve);
  });
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({ IAM_JIT_DEV_MODE: 'true', IAM_JIT_BASE_URL: url, IAM_JIT_LOG_LEVEL: 'silent' });
  const services = createServices(config, {
    database: opened.database,
    // Unexpected server errors (500s) are the one thing worth seeing when a run fails.
    log: {
      ...silentLog,
      error: (fields: object, message?: string) => console.error('server error:', message, fields),
    },
    provisioning: {
      settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      aws: createGrantAws({ endpoint: aws.url, hubCredentials: HUB_CREDENTIALS, maxAttempts: 1 }),
    },
  });
  const app = createHttpApp(services, config);
  fetcher = (req) => app.fetch(req);
  services.jobRunner?.start();
  const alice = await seedUser(opened.database, { id: 'email:alice@x.com' });
  const bob = await seedUser(opened.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
  const admin = await seedUser(opened.database, { id: 'email:admin@x.com', roles: ['admin'] });
  await services.accounts.create(
    {
      id: SPOKE,
      name: 'Spoke',
      environment: 'nonprod',
      approvers: [bob.user.id],
      spokeRoleArn: SPOKE_ROLE_ARN,
      externalId: EXTERNAL_ID,
      maxDurationHours: 4,
    },
    'system',
  );
  return {
    server: { url },
    aws,
    alice,
    bob,
    admin,
    async close() {
      await services.jobRunner?.stop();
      await new Promise<void>((done, fail) => {
        http?.close((e) => (e ? fail(e) : done()));
        (http as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      });
      await services.mailer.close();
      await aws.close();
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
  // As real agents do; it also makes the SDK client validate structuredContent against each output schema.
  await client.listTools();
  return { client, stderr: () => log };
}

/** The official SDK client talking to `<url>/mcp` with a bearer token. */
export async function connectHttp(url: string, token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'iam-jit-test', version: '0.0.0' });
  await client.connect(transport);
  await client.listTools();
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
  // Errors carry their JSON as the last text block (no structuredContent, see src/mcp/tool.ts).
  const last = result.content.at(-1);
  const data =
    expectError && last?.type === 'text' ? JSON.parse(last.text) : (result.structuredContent ?? {});
  return { data: data as Data, text, result };
}
