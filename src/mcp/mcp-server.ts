import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ApiClient } from '../client/api-client.ts';
import { type ToolDefinition, toolError, toolResult } from './tool.ts';
import { APPROVER_TOOLS } from './tools/approver-tools.ts';
import { DISCOVERY_TOOLS } from './tools/discovery-tools.ts';
import { GRANT_TOOLS } from './tools/grant-tools.ts';
import { POLICY_TOOLS } from './tools/policy-tools.ts';
import { REQUESTER_TOOLS } from './tools/requester-tools.ts';

/** What the SDK hands a tool handler that we use. */
interface ToolCallExtra {
  readonly signal: AbortSignal;
  readonly _meta?: { readonly progressToken?: string | number } | undefined;
  sendNotification(n: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; message: string };
  }): Promise<void>;
}

/** The version the MCP server reports in `initialize`. */
export const MCP_SERVER_VERSION = '0.1.0';

/** Every tool, in the order `tools/list` shows them (discovery, policy, requester, approver, grants). */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...DISCOVERY_TOOLS,
  ...POLICY_TOOLS,
  ...REQUESTER_TOOLS,
  ...APPROVER_TOOLS,
  ...GRANT_TOOLS,
];

/** The tool names, in `tools/list` order. */
export const TOOL_NAMES: readonly string[] = ALL_TOOLS.map((t) => t.name);

const INSTRUCTIONS = [
  'iam-jit grants time-bound AWS access after a human approves it. Typical requester flow:',
  'list_accounts → submit_role_request (actions + resource ARNs, justification, duration_hours) → wait_for_request →',
  'get_credentials (a credential_process profile; no secrets unless asked). If the approver asks for changes,',
  'answer with respond_to_changes. Approvers: list_pending_requests → get_request → approve_request /',
  'request_changes / edit_request / reject_request. Call whoami to see your roles.',
].join(' ');

/**
 * Builds an MCP server exposing every iam-jit tool over `client` (whose token decides what the caller may do:
 * the API enforces roles). Tool failures come back as tool results with `isError: true` carrying the API's
 * message; nothing here throws for an API error. Connect it to a transport (stdio, Streamable HTTP).
 */
export function createIamJitMcpServer({ client }: { client: ApiClient }): McpServer {
  const server = new McpServer(
    { name: 'iam-jit', title: 'iam-jit (just-in-time AWS access)', version: MCP_SERVER_VERSION },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of ALL_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
        ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
      },
      async (args: Record<string, unknown>, extra: ToolCallExtra) => {
        const token = extra._meta?.progressToken;
        let step = 0;
        const progress = async (message: string) => {
          if (token === undefined) return;
          step += 1;
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: step, message },
          });
        };
        try {
          return toolResult(await tool.run(args as never, { client, signal: extra.signal, progress }));
        } catch (e) {
          return toolError(e);
        }
      },
    );
  }
  return server;
}
