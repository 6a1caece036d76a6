import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createApiClient } from '../../client/api-client.ts';
import type { Config } from '../../config/load-config.ts';
import { createIamJitMcpServer, MCP_SERVER_VERSION } from '../../mcp/mcp-server.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { authFailureError } from '../middleware/auth.ts';

/** Where the Streamable HTTP MCP endpoint is mounted. */
export const MCP_PATH = '/mcp';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Host header values `/mcp` answers (DNS-rebinding protection): the base URL's host, and — when the server
 * listens on loopback — `127.0.0.1:<port>` and `localhost:<port>` as local agents reach it.
 */
export function mcpAllowedHosts(config: Config): string[] {
  const hosts = new Set([new URL(config.server.baseUrl).host]);
  if (LOOPBACK.has(config.server.host))
    for (const h of ['127.0.0.1', 'localhost']) hosts.add(`${h}:${config.server.port}`);
  return [...hosts];
}

const jsonRpcError = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/**
 * `POST /mcp`: the MCP tools over Streamable HTTP, stateless (a fresh server per request, so any replica can
 * answer), JSON responses. Callers authenticate with `Authorization: Bearer <API token>` only (no cookies: a
 * browser must not drive tools); 401/403 use the API's bodies and texts. Each tool calls this same app's
 * `/api/v1` routes in-process with the caller's token, so role rules are exactly the API's. Host and Origin are
 * checked against the base URL (DNS-rebinding protection). GET and DELETE answer 405 (no sessions to resume).
 */
export function registerMcpRoutes(app: ApiApp, { services, config }: RouteDeps): void {
  const allowedHosts = mcpAllowedHosts(config);
  const allowedOrigins = [new URL(config.server.baseUrl).origin];
  const inProcess = (req: Request) => Promise.resolve(app.fetch(req));

  app.on(['GET', 'DELETE'], MCP_PATH, () =>
    jsonRpcError(405, 'method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages', {
      allow: 'POST',
    }),
  );
  app.post(MCP_PATH, async (c) => {
    const authorization = c.req.header('authorization') ?? null;
    const auth = await services.authenticator.authenticate({ authorization, sessionToken: null });
    if (!auth.ok) throw authFailureError(auth.error);
    const token = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();

    const client = createApiClient({
      baseUrl: config.server.baseUrl,
      token,
      fetch: inProcess,
      userAgent: `iam-jit-mcp-http/${MCP_SERVER_VERSION}`,
    });
    const server = createIamJitMcpServer({ client });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      enableDnsRebindingProtection: true,
      allowedHosts,
      allowedOrigins,
    });
    await server.connect(transport);
    try {
      // The JSON body middleware has already read (and checked) the body, so hand the transport the parsed value.
      const parsedBody: unknown = c.req.header('content-type')?.includes('json')
        ? await c.req.json()
        : undefined;
      return await transport.handleRequest(c.req.raw, parsedBody === undefined ? {} : { parsedBody });
    } finally {
      // JSON-response mode answers only once every response is ready, so the per-request server can go.
      void server.close();
    }
  });
}
