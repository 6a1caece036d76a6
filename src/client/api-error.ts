/**
 * An error answer from the iam-jit API (`{ error: { code, message, details? } }`), or a transport failure.
 * `status` is the HTTP status (0 when the server could not be reached); `code` is the API's error code
 * (`NotFound`, `Forbidden`, `IllegalTransition`, …, or `NetworkError` / `BadResponse` for transport failures);
 * `message` is the API's message, verbatim (e.g. `approver role required`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    { details, cause }: { details?: unknown; cause?: unknown } = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is an ApiError (optionally with `code`). */
export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/**
 * Builds the ApiError for a non-2xx answer: the API's error body when it has one, otherwise a `BadResponse`
 * carrying the start of the text.
 */
export function apiErrorFromBody(status: number, body: unknown, text: string): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error !== undefined && typeof error.code === 'string' && typeof error.message === 'string')
    return new ApiError(status, error.code, error.message, { details: error.details });
  return new ApiError(status, 'BadResponse', `HTTP ${status}: ${text.slice(0, 200) || 'empty body'}`);
}
