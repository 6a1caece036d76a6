import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type AuthFailure, requireRole as checkRole, type Principal } from '../../identity/authenticate.ts';
import type { SignedIdentityRequest } from '../../identity/aws-iam-auth.ts';
import type { Role } from '../../identity/user.ts';
import type { Result } from '../../lib/result.ts';
import type { ApiEnv, HttpServices } from '../context.ts';
import { HttpError } from '../errors.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'iam_jit_session';

/**
 * Header carrying an `aws_iam` proof: base64 of JSON `{ "method", "headers", "body" }` — the caller's SigV4-signed
 * `sts:GetCallerIdentity` request, which the server forwards to STS (Vault AWS-auth style).
 */
export const AWS_AUTH_HEADER = 'x-iam-jit-aws-auth';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Turns an identity failure into the edge error with the exact §7 text (401 or 403). */
export function authFailureError(failure: AuthFailure): HttpError {
  return new HttpError(failure.status === 401 ? 'Unauthenticated' : 'Forbidden', failure.message);
}

/** Decodes the `X-IAM-JIT-AWS-Auth` header; undefined when it is not base64 JSON of the expected shape. */
export function decodeAwsAuthHeader(value: string): SignedIdentityRequest | undefined {
  try {
    const doc: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    if (typeof doc !== 'object' || doc === null) return undefined;
    const { method, headers, body } = doc as Record<string, unknown>;
    if (typeof method !== 'string' || typeof body !== 'string') return undefined;
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v === 'string') flat[k] = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) flat[k] = v.join(',');
      else return undefined;
    }
    return { method, headers: flat, body };
  } catch {
    return undefined;
  }
}

/** The origins a cookie-authenticated browser request may come from: the configured base URL and the request's own. */
function allowedOrigins(c: Context, baseUrl: string): string[] {
  return [new URL(baseUrl).origin, new URL(c.req.url).origin];
}

/**
 * Checks that an unsafe cookie-authenticated request carries an `Origin` equal to this service's origin (CSRF
 * defence; SameSite=Lax alone does not cover same-site subdomains). Throws `OriginMismatch`.
 */
export function checkOrigin(c: Context, baseUrl: string): void {
  const origin = c.req.header('origin');
  if (origin === undefined)
    throw new HttpError(
      'OriginMismatch',
      'cookie-authenticated requests that change state must send an Origin header',
    );
  if (!allowedOrigins(c, baseUrl).includes(origin))
    throw new HttpError('OriginMismatch', `origin ${origin} is not allowed`, {
      details: { expected: new URL(baseUrl).origin },
    });
}

async function authenticateRequest(
  c: Context,
  services: HttpServices,
): Promise<Result<Principal, AuthFailure>> {
  const proof = c.req.header(AWS_AUTH_HEADER);
  if (proof !== undefined && services.awsIam !== undefined) {
    const request = decodeAwsAuthHeader(proof);
    if (request === undefined) return { ok: false, error: { status: 401, message: 'not authenticated' } };
    const result = await services.awsIam.authenticate(request);
    if (!result.ok && result.error.reason !== undefined)
      services.log.warn({ reason: result.error.reason }, 'aws_iam authentication refused');
    return result.ok
      ? result
      : { ok: false, error: { status: result.error.status, message: result.error.message } as AuthFailure };
  }
  return services.authenticator.authenticate({
    authorization: c.req.header('authorization') ?? null,
    sessionToken: getCookie(c, SESSION_COOKIE) ?? null,
  });
}

/**
 * Authenticates every request it guards: a bearer API token, the session cookie, or (in `aws_iam` mode) the
 * signed GetCallerIdentity proof. Sets `principal`; throws 401/403 HttpErrors with the §7 texts; requires a
 * matching Origin on unsafe cookie-authenticated requests (bearer and SigV4 callers are exempt: browsers never
 * attach those on their own).
 */
export function authenticate(
  services: HttpServices,
  { baseUrl }: { baseUrl: string },
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await authenticateRequest(c, services);
    if (!result.ok) throw authFailureError(result.error);
    if (result.value.method === 'session' && UNSAFE_METHODS.has(c.req.method)) checkOrigin(c, baseUrl);
    c.set('principal', result.value);
    await next();
  };
}

/** Route middleware: 403 `<role> role required` unless the principal holds the role (admins hold all). */
export function requireRole(role: Role): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const checked = checkRole(c.get('principal'), role);
    if (!checked.ok) throw authFailureError(checked.error);
    await next();
  };
}
