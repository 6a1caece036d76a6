import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's IP address for rate limits: the socket's peer, or — only when `trustProxy` is set — the first
 * `X-Forwarded-For` entry (a client-supplied header must never choose its own rate-limit bucket otherwise).
 */
export function clientIp(c: Context, { trustProxy }: { trustProxy: boolean }): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (in-process app.request())
  }
}

/** True when the service is reached over https (the base URL says so), so cookies must be `Secure`. */
export function isSecureBaseUrl(baseUrl: string): boolean {
  return new URL(baseUrl).protocol === 'https:';
}
