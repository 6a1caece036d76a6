/**
 * Show-once secrets across a POST → redirect → GET: a freshly minted API token or webhook secret travels to the
 * result page in a short-lived cookie sealed (AES-256-GCM) under a key derived from the browser's session token,
 * and the page deletes the cookie as it reads it. A reload finds nothing, the secret is never stored on the
 * server, any replica can show it, and the cookie is useless to anyone without that session.
 */
import { hkdfSync } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { isSecureBaseUrl } from '../http/client-ip.ts';
import { createSecretBox } from '../lib/crypto.ts';

/** How long a sealed secret waits for its result page, in seconds. */
export const ONCE_MAX_AGE_SECONDS = 120;

/** The cookie name; one per result page path, so two flows do not overwrite each other. */
export const ONCE_COOKIE = 'iam_jit_once';

function boxFor(sessionToken: string) {
  const key = Buffer.from(hkdfSync('sha256', sessionToken, '', 'iam-jit show-once secret', 32));
  return createSecretBox(key.toString('hex'));
}

/**
 * Seals `payload` (JSON-serialisable) for the session holding `sessionToken`, valid for `ONCE_MAX_AGE_SECONDS` from
 * `now` (the expiry is inside the seal: a captured cookie replayed later opens to nothing).
 */
export function sealOnce(sessionToken: string, payload: unknown, now: number = Date.now()): string {
  return boxFor(sessionToken).seal(JSON.stringify({ v: payload, exp: now + ONCE_MAX_AGE_SECONDS * 1000 }));
}

/**
 * Opens what `sealOnce` sealed for the same session; undefined when it was tampered with, another session's, or
 * past its expiry.
 */
export function openOnce(sessionToken: string, sealed: string, now: number = Date.now()): unknown {
  try {
    const opened = JSON.parse(boxFor(sessionToken).open(sealed)) as { v?: unknown; exp?: unknown };
    return typeof opened.exp === 'number' && now < opened.exp ? opened.v : undefined;
  } catch {
    return undefined;
  }
}

/** Cookie options of the show-once cookie: `secure` comes from the deployment's base URL (TLS may end at a proxy). */
export interface OnceCookieOptions {
  readonly secure: boolean;
}

/**
 * Sets the sealed cookie for the result page at `path` (HttpOnly, SameSite=Strict, Secure per `secure`, scoped to
 * `path`, `ONCE_MAX_AGE_SECONDS`).
 */
export function setOnceCookie(
  c: Context,
  path: string,
  sessionToken: string,
  payload: unknown,
  { secure }: OnceCookieOptions,
): void {
  setCookie(c, ONCE_COOKIE, sealOnce(sessionToken, payload), {
    path,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: ONCE_MAX_AGE_SECONDS,
  });
}

/**
 * Reads and deletes the sealed cookie of the current path: the payload the first time, undefined afterwards (or
 * when it is missing, expired, tampered with or sealed for another session).
 */
export function takeOnceCookie(c: Context, sessionToken: string, { secure }: OnceCookieOptions): unknown {
  const sealed = getCookie(c, ONCE_COOKIE);
  if (sealed === undefined) return undefined;
  deleteCookie(c, ONCE_COOKIE, {
    path: c.req.path,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
  });
  return openOnce(sessionToken, sealed);
}

/** The show-once cookie options of a deployment (`Secure` when its base URL is https). */
export function onceOptions(deps: {
  readonly config: { readonly server: { readonly baseUrl: string } };
}): OnceCookieOptions {
  return { secure: isSecureBaseUrl(deps.config.server.baseUrl) };
}
