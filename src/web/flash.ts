/** One-shot messages carried across a redirect in a short-lived, signed cookie (post/redirect/get). */
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { constantTimeEqual } from '../lib/crypto.ts';
import type { Flash, WebEnv } from './context.ts';

/** The flash cookie's name. */
export const FLASH_COOKIE = 'iam_jit_flash';

const MAX_TEXT = 500;

function sign(secretKey: string, payload: string): string {
  return createHmac('sha256', secretKey).update(`iam-jit flash ${payload}`).digest('base64url');
}

/** Encodes messages as `<base64url JSON>.<HMAC>` (texts cut at 500 characters). */
export function encodeFlash(secretKey: string, messages: readonly Flash[]): string {
  const payload = Buffer.from(
    JSON.stringify(messages.map((m) => ({ kind: m.kind, text: m.text.slice(0, MAX_TEXT) }))),
  ).toString('base64url');
  return `${payload}.${sign(secretKey, payload)}`;
}

/** Decodes `encodeFlash`; an empty list for anything unsigned, tampered or malformed. */
export function decodeFlash(secretKey: string, value: string | undefined): Flash[] {
  if (value === undefined) return [];
  const [payload = '', mac = ''] = value.split('.');
  if (payload === '' || !constantTimeEqual(mac, sign(secretKey, payload))) return [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((m: unknown) => {
      if (typeof m !== 'object' || m === null) return [];
      const { kind, text } = m as Record<string, unknown>;
      if ((kind === 'success' || kind === 'error' || kind === 'info') && typeof text === 'string')
        return [{ kind, text }];
      return [];
    });
  } catch {
    return [];
  }
}

/** Reads and clears the flash cookie of this request. */
export function takeFlash(c: Context<WebEnv>, { secretKey, secure }: { secretKey: string; secure: boolean }) {
  const raw = getCookie(c, FLASH_COOKIE);
  if (raw === undefined) return [];
  deleteCookie(c, FLASH_COOKIE, { path: '/', secure });
  return decodeFlash(secretKey, raw);
}

/** Sets the flash cookie shown by the next page (HttpOnly, SameSite=Lax, one minute). */
export function putFlash(
  c: Context<WebEnv>,
  messages: readonly Flash[],
  { secretKey, secure }: { secretKey: string; secure: boolean },
): void {
  setCookie(c, FLASH_COOKIE, encodeFlash(secretKey, messages), {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: 60,
  });
}
