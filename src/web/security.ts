/**
 * The web UI's browser defences: security headers on every page, and CSRF on every state-changing request — a
 * per-session token (HMAC of the session id under the server's secret key; anonymous sign-in forms bind it to a
 * random double-submit cookie instead), plus the Origin and Fetch-Metadata checks.
 */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { constantTimeEqual } from '../lib/crypto.ts';

/** The Content-Security-Policy of every page: nothing inline, nothing from elsewhere, never framed. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/** Cookie binding the CSRF token of anonymous forms (sign-in) to this browser; scoped to `/login`. */
export const LOGIN_CSRF_COOKIE = 'iam_jit_login_csrf';

/** The form field carrying the CSRF token. */
export const CSRF_FIELD = 'csrf';

/** The header carrying the CSRF token on `fetch` requests from app.js. */
export const CSRF_HEADER = 'x-csrf-token';

/** The fixed set of headers every web answer carries (CSP, no sniffing, no referrer, no framing). */
export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': WEB_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Paths served by the API side (JSON, metrics, MCP): everything else belongs to the web UI. */
export function isApiPath(path: string): boolean {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/mcp' ||
    path.startsWith('/mcp/') ||
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/metrics'
  );
}

/**
 * The CSRF token for a binding (`session:<session id>` or `anon:<cookie value>`): base64url HMAC-SHA256 under the
 * server's secret key. Deterministic, so every form of a session carries the same token; unforgeable without the key.
 */
export function csrfTokenFor(secretKey: string, binding: string): string {
  return createHmac('sha256', secretKey).update(`iam-jit csrf ${binding}`).digest('base64url');
}

/** Why an unsafe request was refused, or undefined when it passes. */
export type CsrfRefusal = 'cross-site request' | 'origin not allowed' | 'missing or wrong CSRF token';

/**
 * Checks an unsafe request: `Sec-Fetch-Site` (when sent) must be `same-origin` or `none`; `Origin` (when sent and
 * not `null` — browsers send `null` under `Referrer-Policy: no-referrer`) must be the base URL's or the request's
 * own origin; and the token (form field `csrf` or header `x-csrf-token`) must equal `expected`.
 */
export function checkCsrf(
  c: Context,
  { expected, submitted, baseUrl }: { expected: string; submitted: string; baseUrl: string },
): CsrfRefusal | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site request';
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== 'null') {
    const allowed = [new URL(baseUrl).origin, new URL(c.req.url).origin];
    if (!allowed.includes(origin)) return 'origin not allowed';
  }
  if (submitted === '' || !constantTimeEqual(submitted, expected)) return 'missing or wrong CSRF token';
  return undefined;
}

/** The anonymous binding cookie's value, when the browser sent one. */
export function anonymousCsrfCookie(c: Context): string | undefined {
  const v = getCookie(c, LOGIN_CSRF_COOKIE);
  return v !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
}
