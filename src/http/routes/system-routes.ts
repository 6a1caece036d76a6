import type { ApiApp, RouteDeps } from '../context.ts';
import { errorResponse } from '../errors.ts';
import type { HttpMetrics } from '../metrics.ts';

/**
 * `/healthz` (the process answers; no auth, no I/O), `/readyz` (the database answers: 200 or 503) and `/metrics`
 * (Prometheus text; request counts only, nothing about users).
 */
export function registerSystemRoutes(app: ApiApp, { services }: RouteDeps, metrics: HttpMetrics): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) =>
    (await services.ping())
      ? c.json({ status: 'ready', database: 'ok' })
      : errorResponse(c, 'NotReady', 'database unreachable', { details: { database: 'unreachable' } }),
  );
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }));
}
