import type { Context } from 'hono';
import { BrokerError } from '../lib/errors.ts';

/**
 * Codes the HTTP edge itself produces (not from the service layer): transport and authentication problems.
 * They share the error body shape with BrokerError codes.
 */
export const HTTP_ERROR_CODES = [
  'MalformedJson',
  'InvalidRequest',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'RouteNotFound',
  'Unauthenticated',
  'Forbidden',
  'OriginMismatch',
  'RateLimited',
  'NotReady',
  'IdempotencyKeyInUse',
  'IdempotencyKeyReused',
  'InternalError',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * THE table: HTTP status per error code, for BrokerError codes of every domain and the edge's own codes
 * (STYLE.md "Errors" rule 4). Keyed by string so a domain may add codes before this table knows them; a test
 * checks every `BROKER_ERROR_CODES` entry is mapped, and an unmapped code answers 500 (a bug, logged).
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // edge
  MalformedJson: 400,
  InvalidRequest: 400,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RouteNotFound: 404,
  Unauthenticated: 401,
  Forbidden: 403,
  OriginMismatch: 403,
  RateLimited: 429,
  NotReady: 503,
  IdempotencyKeyInUse: 409,
  IdempotencyKeyReused: 422,
  InternalError: 500,
  // shared / identity
  InvalidInput: 400,
  PolicyParseError: 400,
  NotFound: 404,
  Unsupported: 400,
  UserExists: 409,
  LastAdmin: 409,
  TokenLimitReached: 409,
  // accounts / requests (issue 4)
  AccountExists: 409,
  AccountInUse: 409,
  IllegalTransition: 409,
  ConcurrentUpdate: 409,
  AlreadyReviewed: 409,
  SelfApproval: 403,
  NotApprover: 403,
  NotRequester: 403,
  UnknownAccount: 422,
  PolicyInvalid: 422,
  DurationExceedsMax: 422,
  PolicyTooLarge: 413,
  TooManyOpenRequests: 429,
  // grants (issue 6)
  GrantEndingSoon: 409,
};

/** The status for a code; 500 for a code nobody mapped (which is a bug). */
export function statusForCode(code: string): number {
  return HTTP_STATUS_BY_CODE[code] ?? 500;
}

/** The JSON error body every route returns: `{ "error": { "code", "message", "details"? } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** Builds an error body; `details` is left out when undefined. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * An error raised by the HTTP edge (middleware and route glue) with one of the edge's codes. Route handlers
 * throw it or a BrokerError; `onError` turns both into JSON through the table above.
 */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    code: HttpErrorCode,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/**
 * Answers with the error body and the status from the table. Every 401 carries `WWW-Authenticate: Bearer`; a
 * 429/503 whose details carry `retry_after_seconds` gets the matching `Retry-After` header.
 */
export function errorResponse(
  c: Context,
  code: string,
  message: string,
  { details, headers = {} }: { details?: unknown; headers?: Record<string, string> } = {},
): Response {
  const status = statusForCode(code);
  const all: Record<string, string> = { ...headers };
  if (status === 401) all['WWW-Authenticate'] = 'Bearer';
  const retry = (details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  if ((status === 429 || status === 503) && typeof retry === 'number' && all['Retry-After'] === undefined)
    all['Retry-After'] = String(Math.max(1, Math.ceil(retry)));
  return c.json(errorBody(code, message, details), status as 400, all);
}

/** Maps a thrown value to a response: HttpError and BrokerError by code; anything else is a 500 (bug). */
export function responseForError(c: Context, e: unknown): { response: Response; unexpected: boolean } {
  if (e instanceof HttpError)
    return {
      response: errorResponse(c, e.code, e.message, { details: e.details, headers: { ...e.headers } }),
      unexpected: false,
    };
  if (e instanceof BrokerError) {
    const unexpected = HTTP_STATUS_BY_CODE[e.code] === undefined;
    return { response: errorResponse(c, e.code, e.message, { details: e.details }), unexpected };
  }
  return { response: errorResponse(c, 'InternalError', 'internal error'), unexpected: true };
}
