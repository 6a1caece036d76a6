import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createApiClient } from '../client/api-client.ts';
import { ApiError } from '../client/api-error.ts';
import { createIamJitMcpServer, MCP_SERVER_VERSION } from './mcp-server.ts';

/** The settings `iam-jit-mcp` reads (from the environment, passed in by the entry point). */
export interface StdioSettings {
  readonly baseUrl: string;
  readonly token: string;
}

/**
 * Validates `IAM_JIT_BASE_URL` (http/https URL) and `IAM_JIT_API_TOKEN` (`iamjit_…`) from `env`; returns the
 * settings or every problem as a readable line.
 */
export function readStdioSettings(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; value: StdioSettings } | { ok: false; error: string[] } {
  const problems: string[] = [];
  const baseUrl = env.IAM_JIT_BASE_URL?.trim() ?? '';
  const token = env.IAM_JIT_API_TOKEN?.trim() ?? '';
  if (baseUrl === '')
    problems.push('IAM_JIT_BASE_URL is not set (the iam-jit server, e.g. http://127.0.0.1:8080)');
  else {
    let url: URL | undefined;
    try {
      url = new URL(baseUrl);
    } catch {
      problems.push(`IAM_JIT_BASE_URL is not a URL: ${baseUrl}`);
    }
    if (url !== undefined && url.protocol !== 'http:' && url.protocol !== 'https:')
      problems.push(`IAM_JIT_BASE_URL must be http(s): ${baseUrl}`);
  }
  if (token === '')
    problems.push('IAM_JIT_API_TOKEN is not set (create one with POST /api/v1/tokens or the web UI)');
  else if (!token.startsWith('iamjit_'))
    problems.push('IAM_JIT_API_TOKEN does not look like an iam-jit token (iamjit_…)');
  return problems.length > 0 ? { ok: false, error: problems } : { ok: true, value: { baseUrl, token } };
}

/**
 * The `iam-jit-mcp` process: checks settings and the token against the server (`whoami`), then serves MCP over
 * stdin/stdout. Writes diagnostics to `log` (stderr) only — stdout carries the protocol. Resolves with an exit
 * code: 2 for bad settings, 1 when the server refuses the token; otherwise it serves until stdin closes.
 */
export async function runStdioServer({
  env,
  log,
}: {
  env: Readonly<Record<string, string | undefined>>;
  log: (line: string) => void;
}): Promise<number> {
  const settings = readStdioSettings(env);
  if (!settings.ok) {
    for (const p of settings.error) log(`iam-jit-mcp: ${p}`);
    return 2;
  }
  const client = createApiClient({ ...settings.value, userAgent: `iam-jit-mcp/${MCP_SERVER_VERSION}` });
  try {
    const me = await client.me();
    log(`iam-jit-mcp: connected to ${client.baseUrl} as ${me.user_id} (${me.roles.join(', ')})`);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      log(`iam-jit-mcp: ${client.baseUrl} refused IAM_JIT_API_TOKEN: ${e.message}`);
      return 1;
    }
    // The server may come up later; tools report the failure when called.
    log(`iam-jit-mcp: warning: ${e instanceof Error ? e.message : String(e)}`);
  }
  const server = createIamJitMcpServer({ client });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  // Some SDK versions do not notice stdin's end by themselves; an MCP client closes stdin to stop us.
  process.stdin.once('end', () => void server.close());
  await closed;
  return 0;
}
