// /metrics through the real server (a socket, app.ts with provisioning into the local AWS emulator): after a
// submit → approve → provision → revoke / expire / dead-letter flow, the exposition says what happened, by route
// pattern and state, without a user id or e-mail in any label.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { createFakeClock, MINUTE } from '../../src/lib/clock.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from '../grants/harness.ts';
import { call, type Loose, list, startTestServer, type TestServer } from '../http/harness.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { parseExposition, type Sample, sampleValue } from './exposition.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};

forEachDialect('metrics over a real server', (ctx) => {
  const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  let aws: LocalAws;
  let server: TestServer;
  let alice: SeededUser;
  let bob: SeededUser;

  beforeEach(async () => {
    await ctx.reset();
    aws = await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() });
    server = await startTestServer(ctx.database, {
      clock,
      provisioning: {
        settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
        aws: createGrantAws({
          endpoint: aws.url,
          hubCredentials: HUB_CREDENTIALS,
          maxAttempts: 1,
          now: () => clock.now(),
        }),
      },
    });
    alice = await seedUser(ctx.database, { id: 'email:alice@example.com', clock });
    bob = await seedUser(ctx.database, {
      id: 'email:bob@example.com',
      roles: ['requester', 'approver'],
      clock,
    });
    await server.services.accounts.create(
      {
        id: SPOKE,
        name: 'Spoke',
        environment: 'nonprod',
        approvers: [bob.user.id],
        spokeRoleArn: SPOKE_ROLE_ARN,
        externalId: EXTERNAL_ID,
      },
      'system',
    );
  });
  afterEach(async () => {
    await server.close();
    await aws.close();
  });

  async function submit(hours = 1): Promise<string> {
    const r = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { account_ids: [SPOKE], justification: 'metrics test', duration_hours: hours, policy: POLICY },
    });
    assert.equal(r.status, 201, r.text);
    return String(r.body.request?.id);
  }
  async function grantOf(requestId: string): Promise<Loose> {
    const r = await call(server, 'GET', `/api/v1/grants?request_id=${requestId}`, { token: bob.token });
    const [grant] = list(r.body.items);
    assert.ok(grant, `a grant for ${requestId}`);
    return grant;
  }
  async function scrape(): Promise<Sample[]> {
    const r = await call(server, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parseExposition(r.text);
  }
  const runDue = () => server.services.jobRunner.runDue();

  test('states, approval latency, revocation delay, provisioning errors and HTTP routes', async () => {
    const revokedId = await submit();
    const pendingId = await submit();
    const expiredId = await submit();
    clock.advance(90_000);
    for (const id of [revokedId, expiredId]) {
      const r = await call(server, 'POST', `/api/v1/requests/${id}/approve`, { token: bob.token, body: {} });
      assert.equal(r.status, 200, r.text);
    }
    await runDue();
    const revokedGrant = await grantOf(revokedId);
    assert.equal(revokedGrant.status, 'active');

    // A revocation that fails once (AWS unavailable), then succeeds on the retry.
    const revoke = await call(server, 'POST', `/api/v1/grants/${String(revokedGrant.id)}/revoke`, {
      token: bob.token,
      body: { reason: 'done' },
    });
    assert.equal(revoke.status, 202, revoke.text);
    aws.faults.fail('*', { code: 'ServiceUnavailable', message: 'down', status: 503 }, 1);
    await runDue();
    clock.advance(10 * MINUTE);
    await runDue();
    assert.equal((await grantOf(revokedId)).status, 'revoked');

    // The other grant runs out: expired 1 h after activation; the expiry job runs 30 s late.
    clock.advance(60 * MINUTE - 10 * MINUTE + 30_000);
    await runDue();
    assert.equal((await grantOf(expiredId)).status, 'expired');

    const samples = await scrape();
    // Gauges: one row per known state, equal to what the API reports.
    const statuses = await Promise.all(
      [revokedId, pendingId, expiredId].map(async (id) => {
        const r = await call(server, 'GET', `/api/v1/requests/${id}`, { token: alice.token });
        return String(r.body.request?.status);
      }),
    );
    assert.equal(statuses[1], 'pending');
    for (const state of ['pending', 'approved', 'rejected', 'cancelled', ...new Set(statuses)]) {
      const expected = statuses.filter((s) => s === state).length;
      assert.equal(sampleValue(samples, 'iam_jit_requests', { state }), expected, `requests{state=${state}}`);
    }
    assert.equal(sampleValue(samples, 'iam_jit_grants', { status: 'revoked' }), 1);
    assert.equal(sampleValue(samples, 'iam_jit_grants', { status: 'expired' }), 1);
    assert.equal(sampleValue(samples, 'iam_jit_grants', { status: 'active' }), 0);

    // Histograms from committed audit events.
    assert.equal(sampleValue(samples, 'iam_jit_approval_latency_seconds_count'), 2);
    assert.equal(sampleValue(samples, 'iam_jit_approval_latency_seconds_sum'), 180);
    assert.equal(sampleValue(samples, 'iam_jit_approval_latency_seconds_bucket', { le: '60' }), 0);
    assert.equal(sampleValue(samples, 'iam_jit_approval_latency_seconds_bucket', { le: '300' }), 2);
    assert.equal(sampleValue(samples, 'iam_jit_revocation_delay_seconds_count'), 1);
    assert.equal(sampleValue(samples, 'iam_jit_revocation_delay_seconds_sum'), 30);
    assert.equal(
      sampleValue(samples, 'iam_jit_provisioning_errors_total', { operation: 'revoke', account_id: SPOKE }),
      1,
    );

    // HTTP: labelled by route pattern, never by the raw path.
    assert.equal(
      sampleValue(samples, 'iam_jit_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/requests/:id/approve',
        status: '200',
      }),
      2,
    );
    assert.equal(
      sampleValue(samples, 'iam_jit_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/requests',
        status: '201',
      }),
      3,
    );
    const routes = new Set(samples.map((s) => s.labels.route).filter((r) => r !== undefined));
    assert.ok(routes.has('/api/v1/grants/:id/revoke'), [...routes].join(' '));
    for (const route of routes) assert.doesNotMatch(route, /req_|gr_|[0-9a-f]{8}-/, `raw path in ${route}`);

    // No identity in any label value.
    const values = samples.flatMap((s) => Object.values(s.labels));
    for (const v of values) {
      assert.doesNotMatch(v, /@|email:|alice|bob|iamjit_/, `label value ${v}`);
      for (const id of [revokedId, pendingId, expiredId, String(revokedGrant.id)]) assert.notEqual(v, id);
    }
    // Default process metrics carry the prefix.
    assert.ok(samples.some((s) => s.name === 'iam_jit_process_cpu_user_seconds_total'));
    assert.ok(samples.some((s) => s.name === 'iam_jit_nodejs_eventloop_lag_seconds'));
  });

  test('unknown paths share one route label; auth failures keep the pattern of the route asked for', async () => {
    await call(server, 'GET', '/no/such/thing/alice@example.com');
    await call(server, 'GET', '/api/v1/requests/req_secret_looking_id');
    const samples = await scrape();
    assert.equal(
      sampleValue(samples, 'iam_jit_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
      1,
    );
    assert.equal(
      sampleValue(samples, 'iam_jit_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/requests/:id',
        status: '401',
      }),
      1,
    );
    assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('secret_looking'))));
  });

  test('a provisioning job that dies counts as a provisioning error and a dead job', async () => {
    const id = await submit(2);
    aws.faults.fail('*', { code: 'ServiceUnavailable', message: 'down', status: 503 }, 1000);
    assert.equal(
      (await call(server, 'POST', `/api/v1/requests/${id}/approve`, { token: bob.token, body: {} })).status,
      200,
    );
    // 12 runs with backoff capped at 2 minutes: bounded loop until the job is dead.
    for (let i = 0; i < 20; i++) {
      await runDue();
      const dead = await ctx.database.db
        .selectFrom('jobs')
        .select('id')
        .where('type', '=', 'grant.provision')
        .where('status', '=', 'dead')
        .execute();
      if (dead.length > 0) break;
      clock.advance(2 * MINUTE);
    }
    const samples = await scrape();
    assert.equal(sampleValue(samples, 'iam_jit_jobs_dead_total', { type: 'grant.provision' }), 1);
    assert.equal(
      sampleValue(samples, 'iam_jit_provisioning_errors_total', {
        operation: 'provision',
        account_id: SPOKE,
      }),
      1,
    );
    aws.faults.reset();
  });
});
