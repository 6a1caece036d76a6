import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { HttpError } from '../errors.ts';

/** Largest accepted request body: 1 MiB (issue 4). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Methods whose requests carry no body here; the body middlewares skip them (reading `raw.body` is not free). */
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Rejects bodies over `maxBytes` (declared or streamed) with 413 `PayloadTooLarge`. */
export function limitBody(maxBytes: number = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError('PayloadTooLarge', `request body exceeds ${maxBytes} bytes`, {
        details: { limit_bytes: maxBytes },
        // The rest of the body is never read, so the connection cannot carry another request.
        headers: { Connection: 'close' },
      });
    },
  });
  return (c, next) => (BODILESS.has(c.req.method) ? next() : limit(c, next));
}

/** Where a JSON text stops being JSON: zero-based offset, one-based line and column, and what was expected. */
export interface JsonSyntaxPosition {
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

/**
 * Locates the first syntax error in `text` (strict JSON: no comments, no trailing commas); undefined when the
 * text is valid JSON. Used only after `JSON.parse` failed, whose messages on Node 20 often lack a position.
 */
export function locateJsonError(text: string): JsonSyntaxPosition | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first.offset);
  const lines = before.split('\n');
  return {
    position: first.offset,
    line: lines.length,
    column: (lines.at(-1)?.length ?? 0) + 1,
    problem: printParseErrorCode(first.error),
  };
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Parses JSON bodies once, before validation, so malformed JSON answers 400 `MalformedJson` with the line,
 * column and offset of the error instead of a generic message. Valid bodies are left for the validators.
 */
export function parseJsonBody(): MiddlewareHandler {
  return async (c, next) => {
    const type = BODILESS.has(c.req.method) ? undefined : c.req.header('content-type');
    if (type !== undefined && JSON_TYPE.test(type) && c.req.raw.body !== null) {
      const text = await c.req.text();
      try {
        JSON.parse(text);
      } catch {
        const at = locateJsonError(text) ?? {
          position: text.length,
          line: text.split('\n').length,
          column: 1,
          problem: 'InvalidJson',
        };
        throw new HttpError(
          'MalformedJson',
          text.trim() === ''
            ? 'request body is empty; expected JSON'
            : `malformed JSON at line ${at.line}, column ${at.column} (position ${at.position}): ${at.problem}`,
          { details: at },
        );
      }
    }
    await next();
  };
}
