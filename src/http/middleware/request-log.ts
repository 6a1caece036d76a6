import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { runWithLogContext } from '../../lib/log-context.ts';
import { redactText } from '../../lib/redact.ts';
import type { Log } from '../context.ts';
import { routeLabel } from '../route-label.ts';

/** The header a request id arrives in and is echoed in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's request id is kept when it is a short token of these characters (it is logged and echoed). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Routes polled by probes and scrapers: logged only when they fail, so they do not drown the access log. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** The caller's `X-Request-Id` when it is safe to log and echo (short, plain, not secret-looking), else undefined. */
export function acceptedRequestId(header: string | undefined): string | undefined {
  if (header === undefined || !SAFE_REQUEST_ID.test(header)) return undefined;
  return redactText(header) === header ? header : undefined;
}

/**
 * Gives every request a request id — the caller's `X-Request-Id` when `acceptedRequestId` keeps it, otherwise a new
 * UUID — echoed in the `X-Request-Id` response header and added to every log line written while the request runs
 * (error logs included). When the request ends, writes one access line: `method`, `route` (the route pattern, never
 * the raw path or query, which may carry a sign-in token), `status`, `duration_ms`.
 */
export function requestLog(
  log: Log,
  { newId = randomUUID }: { newId?: () => string } = {},
): MiddlewareHandler {
  return async (c, next) => {
    const requestId = acceptedRequestId(c.req.header(REQUEST_ID_HEADER)) ?? newId();
    const started = performance.now();
    await runWithLogContext({ request_id: requestId }, async () => {
      // Set before the handler (responses built through the context carry it for free) and checked after (a
      // handler's own Response object does not).
      c.header(REQUEST_ID_HEADER, requestId);
      try {
        await next();
      } finally {
        if (c.res.headers.get(REQUEST_ID_HEADER) !== requestId) c.header(REQUEST_ID_HEADER, requestId);
        const route = routeLabel(c);
        const status = c.res.status;
        if (!QUIET_ROUTES.has(route) || status >= 400) {
          const fields = {
            method: c.req.method,
            route,
            status,
            duration_ms: Math.round((performance.now() - started) * 100) / 100,
          };
          if (status >= 500) log.error(fields, 'request failed');
          else log.info(fields, 'request');
        }
      }
    });
  };
}
