import type { MiddlewareHandler } from 'hono';
import type { AppMetrics } from '../metrics/app-metrics.ts';
import { routeLabel } from './route-label.ts';

/** Times every request and records it as `iam_jit_http_request_duration_seconds{method,route,status}`. */
export function httpMetrics(metrics: AppMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeHttp({
        method: c.req.method,
        route: routeLabel(c),
        status: c.res.status,
        seconds: (performance.now() - started) / 1000,
      });
    }
  };
}
