import type { MiddlewareHandler } from 'hono';
import { HOUR } from '../../lib/clock.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import type { ApiEnv, HttpServices } from '../context.ts';
import { HttpError } from '../errors.ts';

/** How long a stored response is replayed: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * HOUR;
/** Set on a replayed response. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` for POSTs by an authenticated principal: the first response (status below 500) is stored
 * per user and key and replayed for a retry with the same method, path and body. The same key with a different
 * request → 422 `IdempotencyKeyReused`; while the first is still running → 409 `IdempotencyKeyInUse`. A request
 * without the header runs normally.
 */
export function idempotency(
  services: Pick<HttpServices, 'idempotency' | 'clock'>,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key))
      throw new HttpError('InvalidRequest', 'Idempotency-Key must be 1-255 printable ASCII characters', {
        details: { field: 'Idempotency-Key' },
      });
    const scope = c.get('principal').user.id;
    const body = await c.req.text();
    const requestHash = sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
    const claim = await services.idempotency.claim({
      scope,
      key,
      requestHash,
      now: services.clock.now(),
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    if (claim.state === 'done')
      return new Response(claim.responseBody, {
        status: claim.statusCode,
        headers: { 'Content-Type': 'application/json', [REPLAYED_HEADER]: 'true' },
      });
    if (claim.state === 'in_progress')
      throw new HttpError('IdempotencyKeyInUse', 'a request with this Idempotency-Key is still running');
    if (claim.state === 'mismatch')
      throw new HttpError('IdempotencyKeyReused', 'this Idempotency-Key was used for a different request');
    try {
      await next();
    } catch (e) {
      await services.idempotency.release(scope, key);
      throw e;
    }
    // A handler's thrown error has already become c.res (Hono's onError runs inside next()).
    if (c.res.status >= 500) {
      await services.idempotency.release(scope, key);
      return;
    }
    await services.idempotency.complete({
      scope,
      key,
      statusCode: c.res.status,
      responseBody: await c.res.clone().text(),
    });
  };
}
