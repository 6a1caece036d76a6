import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestDatabase } from '../../test/support/dialects.ts';
import type { AuditEvent } from '../audit/audit-event.ts';
import { createMetricsReader } from '../store/metrics-repo.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { createAppMetrics } from './app-metrics.ts';

const committed = (
  action: string,
  data: AuditEvent['data'],
  subject: string | null = 'gr_1',
): AuditEvent => ({
  seq: 1,
  at: new Date('2026-11-23T10:00:30.000Z'),
  actor: 'system',
  action,
  subject,
  data,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

test('each app has its own registry: what one records, the other does not show', async () => {
  const a = createAppMetrics();
  const b = createAppMetrics();
  a.jobDead('grant.provision');
  a.webhookDeliveryFailed('slack');
  const textA = await a.render();
  const textB = await b.render();
  assert.match(textA, /^iam_jit_jobs_dead_total\{type="grant\.provision"\} 1$/m);
  assert.match(textA, /^iam_jit_webhook_delivery_failures_total\{kind="slack"\} 1$/m);
  assert.doesNotMatch(textB, /^iam_jit_jobs_dead_total\{/m);
  assert.match(textB, /^# TYPE iam_jit_jobs_dead_total counter$/m);
});

test('HTTP samples: unknown methods fold into "other"; the compatibility counter has method and status only', async () => {
  const m = createAppMetrics();
  m.observeHttp({ method: 'GET', route: '/healthz', status: 200, seconds: 0.002 });
  m.observeHttp({ method: 'PROPFIND', route: 'unmatched', status: 404, seconds: 0.001 });
  const text = await m.render();
  assert.match(
    text,
    /^iam_jit_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\} 1$/m,
  );
  assert.match(
    text,
    /^iam_jit_http_request_duration_seconds_count\{method="other",route="unmatched",status="404"\} 1$/m,
  );
  assert.match(text, /^iam_jit_http_requests_total\{method="GET",status="200"\} 1$/m);
});

test('audit rules: expiry delay from not_after, provisioning errors by operation, break-glass is not an approval', async () => {
  const m = createAppMetrics();
  m.observeCommitted([
    committed('grant.expired', { account_id: '222222222222', not_after: '2026-11-23T10:00:00.000Z' }),
    // a grant revoked before its end is not a late revocation
    committed('grant.revoked', { account_id: '222222222222', not_after: '2026-11-23T12:00:00.000Z' }),
    committed('grant.provision_failed', { error: 'down' }),
    committed('alert.grant_revocation_failed', { attempt: 1, error: 'down', account_id: '222222222222' }),
    committed('request.break_glass', { to_status: 'approved' }, 'req_1'),
  ]);
  const text = await m.render();
  assert.match(text, /^iam_jit_revocation_delay_seconds_sum 30$/m);
  assert.match(text, /^iam_jit_revocation_delay_seconds_count 1$/m);
  // without a store reader the account of a grant is unknown
  assert.match(text, /^iam_jit_provisioning_errors_total\{operation="provision",account_id="unknown"\} 1$/m);
  assert.match(
    text,
    /^iam_jit_provisioning_errors_total\{operation="revoke",account_id="222222222222"\} 1$/m,
  );
  assert.match(text, /^iam_jit_approval_latency_seconds_count 0$/m);
});

test('a store that fails at scrape time: the scrape still answers, without the gauges, and the error is reported', async () => {
  const { database, dispose } = await openTestDatabase('sqlite');
  await migrateToLatest(database.db);
  const errors: unknown[] = [];
  const m = createAppMetrics({ reader: createMetricsReader(database.db), onError: (e) => errors.push(e) });
  assert.match(await m.render(), /^iam_jit_requests\{state="pending"\} 0$/m);
  await dispose();
  const text = await m.render();
  assert.doesNotMatch(text, /^iam_jit_requests\{/m);
  assert.match(text, /^iam_jit_process_cpu_user_seconds_total /m);
  assert.equal(errors.length, 2, 'requests and grants reads failed');
});
