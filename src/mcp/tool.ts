import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ApiClient } from '../client/api-client.ts';
import { ApiError } from '../client/api-error.ts';

/** A tool's answer: a short text summary for the conversation and the structured data behind it. */
export interface ToolOutput {
  readonly summary: string;
  readonly data: Record<string, unknown>;
}

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  readonly client: ApiClient;
  readonly signal: AbortSignal;
  /** Reports progress to the caller when it asked for it (a progress token); keeps long calls from timing out. */
  progress(message: string): Promise<void>;
}

/**
 * One MCP tool: name, LLM-oriented description (what, when, what comes back), zod input shape, and a handler
 * that calls the API client only (no business logic here). Handlers throw `ApiError` or `ToolFailure`, and
 * `createIamJitMcpServer` turns either into a tool error.
 */
export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Shape;
  /** The shape of `structuredContent` on success, when it is fixed (validated by the SDK and by clients). */
  readonly outputSchema?: z.ZodObject;
  readonly annotations?: ToolAnnotations;
  run(args: z.infer<z.ZodObject<Shape>>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Keeps the handler's argument type tied to its input shape. */
export function defineTool<Shape extends z.ZodRawShape>(tool: ToolDefinition<Shape>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/**
 * A tool-level failure that is not an API answer: `MissingCapability` (the server lacks a route the tool needs,
 * e.g. an older server), `InvalidArguments` (arguments the schema cannot express, like "one of two ids"), or
 * `NotReady` (e.g. no active grant yet to take credentials from).
 */
export class ToolFailure extends Error {
  readonly code: 'MissingCapability' | 'InvalidArguments' | 'NotReady';
  constructor(code: ToolFailure['code'], message: string) {
    super(message);
    this.name = 'ToolFailure';
    this.code = code;
  }
}

/**
 * Runs `call` and turns "no such route" (404 `RouteNotFound`) into `MissingCapability` naming the capability, so
 * an agent learns the server lacks a feature rather than that some object is missing.
 */
export async function requireCapability<T>(capability: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'RouteNotFound')
      throw new ToolFailure(
        'MissingCapability',
        `this iam-jit server does not offer ${capability} yet (${e.message}); ask its operator to upgrade`,
      );
    throw e;
  }
}

/** A successful tool result: the summary as text plus the data as JSON text and as structured content. */
export function toolResult({ summary, data }: ToolOutput): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      { type: 'text', text: JSON.stringify(data, null, 2) },
    ],
    structuredContent: data,
  };
}

/**
 * A tool error carrying the API's message verbatim (e.g. `approver role required`) with its code and status:
 * first as readable text, then as JSON text `{ "error": { code, message, status, details? } }`. No
 * `structuredContent`: clients validate it against the tool's output schema even on errors. Anything that is not
 * an ApiError or ToolFailure is reported as an internal error without its details.
 */
export function toolError(e: unknown): CallToolResult {
  const error =
    e instanceof ApiError
      ? {
          code: e.code,
          message: e.message,
          status: e.status,
          ...(e.details !== undefined ? { details: e.details } : {}),
        }
      : e instanceof ToolFailure
        ? { code: e.code, message: e.message, status: 0 }
        : {
            code: 'InternalError',
            message: `internal error in the iam-jit MCP server: ${String(e)}`,
            status: 500,
          };
  const text =
    error.status > 0
      ? `${error.message} (${error.code}, HTTP ${error.status})`
      : `${error.message} (${error.code})`;
  return {
    content: [
      { type: 'text', text },
      { type: 'text', text: JSON.stringify({ error }) },
    ],
    isError: true,
  };
}
