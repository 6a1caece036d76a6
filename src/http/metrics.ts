import type { MiddlewareHandler } from 'hono';

/** In-process request counters in Prometheus text format: one map update per request, no dependency. */
export interface HttpMetrics {
  readonly middleware: MiddlewareHandler;
  /** Prometheus text exposition (format 0.0.4). */
  render(): string;
}

/** Creates the counters of one app instance (`iam_jit_http_requests_total{method,status}` and timing sums). */
export function createMetrics(): HttpMetrics {
  const counts = new Map<string, number>();
  const seconds = new Map<string, number>();
  const started = Date.now();
  return {
    middleware: async (c, next) => {
      const t0 = performance.now();
      await next();
      const key = `method="${c.req.method}",status="${c.res.status}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      seconds.set(key, (seconds.get(key) ?? 0) + (performance.now() - t0) / 1000);
    },
    render() {
      const lines = [
        '# HELP iam_jit_http_requests_total HTTP requests answered, by method and status.',
        '# TYPE iam_jit_http_requests_total counter',
        ...[...counts].map(([k, v]) => `iam_jit_http_requests_total{${k}} ${v}`),
        '# HELP iam_jit_http_request_duration_seconds_sum Time spent answering, by method and status.',
        '# TYPE iam_jit_http_request_duration_seconds_sum counter',
        ...[...seconds].map(([k, v]) => `iam_jit_http_request_duration_seconds_sum{${k}} ${v.toFixed(6)}`),
        '# HELP iam_jit_process_uptime_seconds Seconds since this app instance was created.',
        '# TYPE iam_jit_process_uptime_seconds gauge',
        `iam_jit_process_uptime_seconds ${((Date.now() - started) / 1000).toFixed(0)}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
