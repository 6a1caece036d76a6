/**
 * The one error class that aborts a use case with a code an edge can map (HTTP status, MCP error, CLI exit code).
 * Each domain adds its codes to `BrokerErrorCode`; bugs throw plain `Error` instead.
 */
export const BROKER_ERROR_CODES = [
  'InvalidInput',
  'PolicyParseError',
  'NotFound',
  'Unsupported',
  // identity/: a user id that already exists (409), the last enabled admin guard (409), the per-user token cap (409)
  'UserExists',
  'LastAdmin',
  'TokenLimitReached',
  // accounts/: an account id that already exists (409), an account still referenced by requests (409)
  'AccountExists',
  'AccountInUse',
  // requests/: see docs/requests.md for the HTTP status of each
  'IllegalTransition',
  'ConcurrentUpdate',
  'SelfApproval',
  'NotApprover',
  'NotRequester',
  'AlreadyReviewed',
  'UnknownAccount',
  'PolicyInvalid',
  'PolicyTooLarge',
  'DurationExceedsMax',
  'TooManyOpenRequests',
  // grants/: fewer than 900 s of the grant remain, too few for STS credentials (409)
  'GrantEndingSoon',
] as const;
export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[number];

export class BrokerError extends Error {
  readonly code: BrokerErrorCode;
  readonly details: unknown;

  constructor(code: BrokerErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrokerError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `e` is a BrokerError (optionally with the given code). */
export function isBrokerError(e: unknown, code?: BrokerErrorCode): e is BrokerError {
  return e instanceof BrokerError && (code === undefined || e.code === code);
}
