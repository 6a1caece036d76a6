/**
 * Show-once secrets across a POST → redirect → GET: a freshly minted API token or webhook secret travels to the
 * result page in a short-lived cookie sealed (AES-256-GCM) under a key derived from the browser's session token,
 * and the page deletes the cookie as it reads it. A reload finds nothing, the secret is never stored on the
 * server, any replica can show it, and the cookie is useless to anyone without that session.
 */
import { hkdfSync } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createSecretBox } from '../lib/crypto.ts';

/** How long a sealed secret waits for its result page, in seconds. */
export const ONCE_MAX_AGE_SECONDS = 120;

/** The cookie name; one per result page path, so two flows do not overwrite each other. */
export const ONCE_COOKIE = 'iam_jit_once';

function boxFor(sessionToken: string) {
  const key = Buffer.from(hkdfSync('sha256', sessionToken, '', 'iam-jit show-once secret', 32));
  return createSecretBox(key.toString('hex'));
}

/** Seals `payload` (JSON-serialisable) for the session holding `sessionToken`. */
export function sealOnce(sessionToken: string, payload: unknown): string {
  return boxFor(sessionToken).seal(JSON.stringify(payload));
}

/** Opens what `sealOnce` sealed for the same session; undefined when it was tampered with or another session's. */
export function openOnce(sessionToken: string, sealed: string): unknown {
  try {
    return JSON.parse(boxFor(sessionToken).open(sealed)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sets the sealed cookie for the result page at `path` (HttpOnly, SameSite=Strict, Secure over https, scoped to
 * `path`, `ONCE_MAX_AGE_SECONDS`).
 */
export function setOnceCookie(c: Context, path: string, sessionToken: string, payload: unknown): void {
  setCookie(c, ONCE_COOKIE, sealOnce(sessionToken, payload), {
    path,
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: ONCE_MAX_AGE_SECONDS,
  });
}

/**
 * Reads and deletes the sealed cookie of the current path: the payload the first time, undefined afterwards (or
 * when it is missing, expired, tampered with or sealed for another session).
 */
export function takeOnceCookie(c: Context, sessionToken: string): unknown {
  const sealed = getCookie(c, ONCE_COOKIE);
  if (sealed === undefined) return undefined;
  deleteCookie(c, ONCE_COOKIE, {
    path: c.req.path,
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
  });
  return openOnce(sessionToken, sealed);
}
