/**
 * Webhook signatures, Stripe style (docs/notifications.md): `X-IAM-JIT-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256(secret, "<t>.<raw body>"). Receivers recompute it and reject timestamps outside their
 * replay window (we document 5 minutes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomBase64Url } from '../lib/crypto.ts';

/** The header names every webhook delivery carries. */
export const SIGNATURE_HEADER = 'X-IAM-JIT-Signature';
export const EVENT_ID_HEADER = 'X-IAM-JIT-Event-Id';
export const EVENT_TYPE_HEADER = 'X-IAM-JIT-Event';

/** The replay window receivers should enforce, in seconds (documented; `verifySignature` defaults to it). */
export const REPLAY_WINDOW_SECONDS = 300;

/** A fresh subscription secret: `whsec_` + 32 random bytes (base64url). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBase64Url(32)}`;
}

/** The `X-IAM-JIT-Signature` value for `body` signed at `at`. */
export function signPayload(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * True when `header` carries a `v1` HMAC of `body` under `secret` and its `t` is within `toleranceSeconds` of
 * `now`. The reference check for receivers (and our tests); constant-time comparison.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  {
    now = new Date(),
    toleranceSeconds = REPLAY_WINDOW_SECONDS,
  }: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const [k, v] = item.split('=', 2);
    if (k === undefined || v === undefined) continue;
    parts.set(k.trim(), [...(parts.get(k.trim()) ?? []), v.trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex'));
  return (parts.get('v1') ?? []).some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
