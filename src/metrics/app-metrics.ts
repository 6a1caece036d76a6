// The Prometheus instruments of one app instance, on a registry of its own (tests build several apps per process;
// the global registry would mix them and refuse duplicate names). Exposed at `/metrics` (docs/metrics.md).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditEvent } from '../audit/audit-event.ts';
import { GRANT_STATES } from '../grants/grant.ts';
import { REQUEST_STATUSES } from '../requests/request-state.ts';
import { observeAuditEvent } from './audit-metrics.ts';
import type { MetricsReader } from './ports.ts';

/** Every metric name starts with this. */
export const METRIC_PREFIX = 'iam_jit_';

/** The HTTP methods used as label values; anything else is `other` (labels stay a bounded set). */
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One answered HTTP request. `route` is the route pattern (`/api/v1/requests/:id`), never the raw path. */
export interface HttpSample {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

/** The metrics of one app: HTTP, store gauges, audit-derived histograms and counters, process defaults. */
export interface AppMetrics {
  /** The `Content-Type` of `render()` (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** The exposition text; waits for pending observations and queries the store gauges. Never rejects. */
  render(): Promise<string>;
  observeHttp(sample: HttpSample): void;
  /** Observes the audit events of one committed transaction (the `onAuditCommitted` listener). */
  observeCommitted(events: readonly AuditEvent[]): void;
  /** A job was dead-lettered (`type` is its job type, e.g. `grant.provision`). */
  jobDead(type: string): void;
  /** A notification delivery attempt failed; `kind` is the channel (`webhook`, `callback`, `slack`, `mattermost`, `email`). */
  webhookDeliveryFailed(kind: string): void;
  /** Resolves once every observation waiting on a store lookup is recorded. */
  settled(): Promise<void>;
}

/** Options: the store reads (without them the request/grant gauges and lookups are absent) and an error sink. */
export interface AppMetricsOptions {
  readonly reader?: MetricsReader;
  /** Told about failed store reads (a scrape still answers, without the failed series). */
  readonly onError?: (error: unknown) => void;
}

/** Creates the registry and instruments of one app. Default process metrics are registered at the first scrape. */
export function createAppMetrics({ reader, onError = () => {} }: AppMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const httpDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const httpTotal = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method and status.',
    labelNames: ['method', 'status'] as const,
    registers,
  });
  const approvalLatency = new Histogram({
    name: `${METRIC_PREFIX}approval_latency_seconds`,
    help: 'Time from submission of a request to its approval (quorum met).',
    buckets: [1, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200],
    registers,
  });
  const revocationDelay = new Histogram({
    name: `${METRIC_PREFIX}revocation_delay_seconds`,
    help: "Time from a grant's not_after to the committed, AWS-confirmed removal of its access.",
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });
  const provisioningErrors = new Counter({
    name: `${METRIC_PREFIX}provisioning_errors_total`,
    help: 'Failed provisioning steps, by operation (provision, revoke) and AWS account.',
    labelNames: ['operation', 'account_id'] as const,
    registers,
  });
  const deliveryFailures = new Counter({
    name: `${METRIC_PREFIX}webhook_delivery_failures_total`,
    help: 'Failed notification delivery attempts, by channel kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const jobsDead = new Counter({
    name: `${METRIC_PREFIX}jobs_dead_total`,
    help: 'Jobs moved to the dead letter after their last attempt, by job type.',
    labelNames: ['type'] as const,
    registers,
  });
  if (reader !== undefined) {
    gaugeOf(registry, 'requests', 'Access requests by state (from the database at scrape time).', 'state', {
      states: REQUEST_STATUSES,
      count: () => reader.countRequestsByStatus(),
      onError,
    });
    gaugeOf(registry, 'grants', 'Grants by status (from the database at scrape time).', 'status', {
      states: GRANT_STATES,
      count: () => reader.countGrantsByStatus(),
      onError,
    });
  }

  const pending = new Set<Promise<void>>();
  const sinks = {
    approvalLatency: (s: number) => approvalLatency.observe(s),
    revocationDelay: (s: number) => revocationDelay.observe(s),
    provisioningError: (operation: string, accountId: string) =>
      provisioningErrors.inc({ operation, account_id: accountId }),
  };
  const lookups = reader ?? {
    requestSubmittedAt: async () => undefined,
    grantAccountId: async () => undefined,
  };
  let defaultsRegistered = false;

  const settled = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    contentType: registry.contentType,
    async render() {
      if (!defaultsRegistered) {
        collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
        defaultsRegistered = true;
      }
      await settled();
      return registry.metrics();
    },
    observeHttp({ method, route, status, seconds }) {
      const m = HTTP_METHODS.has(method) ? method : 'other';
      const s = String(status);
      httpDuration.observe({ method: m, route, status: s }, seconds);
      httpTotal.inc({ method: m, status: s });
    },
    observeCommitted(events) {
      for (const event of events) {
        const waiting = observeAuditEvent(event, sinks, lookups);
        if (waiting === undefined) continue;
        const tracked = waiting.catch(onError).finally(() => pending.delete(tracked));
        pending.add(tracked);
      }
    },
    jobDead: (type) => jobsDead.inc({ type }),
    webhookDeliveryFailed: (kind) => deliveryFailures.inc({ kind }),
    settled,
  };
}

/** A gauge `iam_jit_<name>{<label>}` set at scrape time from one grouped count; every known state is present. */
function gaugeOf(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  {
    states,
    count,
    onError,
  }: {
    states: readonly string[];
    count: () => Promise<Map<string, number>>;
    onError: (e: unknown) => void;
  },
): void {
  new Gauge({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames: [label],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await count();
        for (const state of new Set([...states, ...counts.keys()])) {
          this.set({ [label]: state }, counts.get(state) ?? 0);
        }
      } catch (e) {
        onError(e);
      }
    },
  });
}
