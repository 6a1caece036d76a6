import type { AppMetrics } from '../../metrics/app-metrics.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { errorResponse } from '../errors.ts';

/**
 * `/healthz` (the process answers; no auth, no I/O), `/readyz` (the database answers: 200 or 503) and `/metrics`
 * (Prometheus text, docs/metrics.md: counts, latencies and states; labels never carry user ids or e-mails).
 */
export function registerSystemRoutes(app: ApiApp, { services }: RouteDeps, metrics: AppMetrics): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) =>
    (await services.ping())
      ? c.json({ status: 'ready', database: 'ok' })
      : errorResponse(c, 'NotReady', 'database unreachable', { details: { database: 'unreachable' } }),
  );
  app.get('/metrics', async (c) =>
    c.text(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
  );
}
