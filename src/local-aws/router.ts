import type { IncomingMessage } from 'node:http';
import { accessDeniedMessage, authorizeCall } from './authorize.ts';
import type { CallContext, Operation } from './context.ts';
import { AwsApiError } from './errors.ts';
import { iamOperations } from './iam/index.ts';
import { identityStoreOperations } from './identity-store.ts';
import { parseJsonBody, parseTarget, renderJsonError } from './protocols/json11.ts';
import {
  parseQueryParams,
  type QueryParams,
  renderQueryError,
  renderQueryResponse,
  type XmlObject,
} from './protocols/query-xml.ts';
import type { HandlerDeps } from './server.ts';
import { parseAmzDate, parseAuthorization, type SigV4Authorization, verifySignature } from './sigv4.ts';
import { ssoAdminOperations } from './sso-admin.ts';
import { findPrincipal, type Principal } from './state.ts';
import { stsOperations } from './sts.ts';

type QueryOperation = Operation<QueryParams, XmlObject | undefined>;
type JsonOperation = Operation<Record<string, unknown>, Record<string, unknown>>;

const QUERY_SERVICES: Record<string, { namespace: string; operations: Record<string, QueryOperation> }> = {
  iam: { namespace: 'https://iam.amazonaws.com/doc/2010-05-08/', operations: iamOperations },
  sts: { namespace: 'https://sts.amazonaws.com/doc/2011-06-15/', operations: stsOperations },
};

const JSON_SERVICES: Record<string, { prefix: string; operations: Record<string, JsonOperation> }> = {
  sso: { prefix: 'SWBExternalService', operations: ssoAdminOperations },
  identitystore: { prefix: 'AWSIdentityStore', operations: identityStoreOperations },
};

/** A request classified before authentication: enough to apply faults and to format errors. */
export interface RoutedRequest {
  protocol: 'query' | 'json';
  /** Signing service (`iam`, `sts`, `sso`, `identitystore`), from the credential scope when present. */
  service: string;
  operation: string;
  /** The parsed SigV4 `Authorization` header, when present and well-formed. */
  auth: SigV4Authorization | undefined;
  /** Query protocol: the request's parameters (body and URL query), parsed once. */
  params?: QueryParams;
}

/** The error body for `routed`'s protocol: query XML `<ErrorResponse>` (service namespace) or JSON 1.1 `__type`. */
export function renderError(routed: RoutedRequest, e: AwsApiError, requestId: string): string {
  if (routed.protocol === 'json') return renderJsonError({ code: e.code, message: e.message, requestId });
  const namespace = QUERY_SERVICES[routed.service]?.namespace ?? QUERY_SERVICES.iam!.namespace;
  return renderQueryError({ namespace, code: e.code, message: e.message, sender: e.sender, requestId });
}

/** Classifies a request by SigV4 credential scope (falling back to X-Amz-Target / Action when unsigned). */
export function routeRequest(req: IncomingMessage, url: string, body: string): RoutedRequest {
  const target = parseTarget(header(req, 'x-amz-target'));
  const auth = parseAuthorization(header(req, 'authorization'));
  const scope = auth?.service;
  if (target) {
    const service =
      scope ?? Object.keys(JSON_SERVICES).find((s) => JSON_SERVICES[s]?.prefix === target.prefix) ?? 'sso';
    return {
      protocol: 'json',
      service,
      operation: target.operation,
      auth,
    };
  }
  const params = parseQueryParams(body, queryOf(url));
  const operation = params.get('Action') ?? '';
  const service = scope ?? (stsOperations[operation] ? 'sts' : 'iam');
  return { protocol: 'query', service, operation, auth, params };
}

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(q + 1) : '';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Protocol-specific codes for authentication failures (query: IAM/STS; JSON: SSO Admin/Identity Store). */
const AUTH_CODES = {
  query: {
    missing: 'MissingAuthenticationToken',
    incomplete: 'IncompleteSignature',
    unknownKey: 'InvalidClientTokenId',
    badSignature: 'SignatureDoesNotMatch',
    expired: 'ExpiredToken',
    denied: 'AccessDenied',
  },
  json: {
    missing: 'MissingAuthenticationTokenException',
    incomplete: 'IncompleteSignatureException',
    unknownKey: 'UnrecognizedClientException',
    badSignature: 'InvalidSignatureException',
    expired: 'ExpiredTokenException',
    denied: 'AccessDeniedException',
  },
} as const;

const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * The unknown-key / wrong-token error, built only when thrown (a per-request error or closure costs: capturing a stack
 * took ~4% of the emulator's CPU, and tsx names every closure it creates).
 */
function invalidToken(codes: (typeof AUTH_CODES)[keyof typeof AUTH_CODES]): AwsApiError {
  return new AwsApiError(codes.unknownKey, 'The security token included in the request is invalid.', 403);
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

async function authenticate(
  deps: HandlerDeps,
  routed: RoutedRequest,
  req: IncomingMessage,
  url: string,
  body: string,
): Promise<{ principal: Principal; region: string }> {
  const codes = AUTH_CODES[routed.protocol];
  const authHeader = header(req, 'authorization');
  if (!authHeader) throw new AwsApiError(codes.missing, 'Request is missing Authentication Token', 403);
  const auth = routed.auth;
  const signedAt = parseAmzDate(header(req, 'x-amz-date'));
  if (!auth || !signedAt) {
    throw new AwsApiError(codes.incomplete, 'Authorization header or X-Amz-Date is malformed', 403);
  }
  // Signatures are valid for 15 minutes either side of the wall clock (not the emulated clock, which tests may
  // move): AWS answers "Signature expired" with the signature-mismatch code.
  const wall = Date.now();
  const signed = header(req, 'x-amz-date');
  if (signedAt.getTime() < wall - MAX_SKEW_MS) {
    const message = `Signature expired: ${signed} is now earlier than ${amzDate(wall - MAX_SKEW_MS)} (${amzDate(wall)} - 15 min.)`;
    throw new AwsApiError(codes.badSignature, message, 403);
  }
  if (signedAt.getTime() > wall + MAX_SKEW_MS) {
    const message = `Signature not yet current: ${signed} is still later than ${amzDate(wall + MAX_SKEW_MS)} (${amzDate(wall)} + 15 min.)`;
    throw new AwsApiError(codes.badSignature, message, 403);
  }
  const principal = findPrincipal(deps.state, auth.accessKeyId);
  if (!principal) throw invalidToken(codes);
  if (principal.kind === 'session') {
    if (header(req, 'x-amz-security-token') !== principal.session.sessionToken) throw invalidToken(codes);
    if (Date.parse(principal.session.expiresAt) <= deps.now().getTime()) {
      throw new AwsApiError(codes.expired, 'The security token included in the request is expired', 403);
    }
  }
  const ok = await verifySignature({ method: req.method ?? 'POST', url, headers: req.headers, body }, auth, {
    accessKeyId: auth.accessKeyId,
    secretAccessKey: principal.secret,
    sessionToken: header(req, 'x-amz-security-token') ?? '',
  });
  if (!ok) throw new AwsApiError(codes.badSignature, SIGNATURE_MESSAGE, 403);
  return { principal, region: auth.region };
}

/** Authenticates, authorises and runs the operation; returns the response body or throws AwsApiError. */
export async function dispatch(
  deps: HandlerDeps,
  routed: RoutedRequest,
  req: IncomingMessage,
  body: string,
  requestId: string,
): Promise<string> {
  const url = req.url ?? '/';
  const { principal, region } = await authenticate(deps, routed, req, url, body);
  const ctx: CallContext = {
    state: deps.state,
    principal,
    account: principal.account,
    now: deps.now(),
    requestId,
    region,
    evaluator: deps.evaluator,
    assignmentDelayMs: deps.assignmentDelayMs,
  };
  if (routed.protocol === 'query') {
    const service = QUERY_SERVICES[routed.service];
    const op = service?.operations[routed.operation];
    if (!service || !op) {
      throw new AwsApiError(
        'InvalidAction',
        `Could not find operation ${routed.operation} for ${routed.service}`,
      );
    }
    const params = routed.params ?? parseQueryParams(body, queryOf(url));
    checkPermission(ctx, routed, op, params);
    const result = await op.run(ctx, params);
    return renderQueryResponse({
      operation: routed.operation,
      namespace: service.namespace,
      result,
      requestId,
    });
  }
  const service = JSON_SERVICES[routed.service];
  const op = service?.operations[routed.operation];
  if (!service || !op)
    throw new AwsApiError('UnknownOperationException', `Unknown operation ${routed.operation}`);
  const input = parseJsonBody(body);
  if (!input) throw new AwsApiError('SerializationException', 'Request body is not a JSON object');
  checkPermission(ctx, routed, op, input);
  return JSON.stringify(await op.run(ctx, input));
}

function checkPermission<I, O>(ctx: CallContext, routed: RoutedRequest, op: Operation<I, O>, input: I): void {
  if (!op.permission) return;
  const permission = op.permission(ctx, input);
  const decision = authorizeCall(ctx, permission);
  if (decision.allowed) return;
  const code = AUTH_CODES[routed.protocol].denied;
  // 403 in both protocols (AWS "Common Error Types": AccessDeniedException — HTTP Status Code: 403).
  throw new AwsApiError(code, accessDeniedMessage(ctx, permission, decision.reason), 403);
}
