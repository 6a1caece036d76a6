// The /api/v1/grants routes through the real HTTP app (app.ts with provisioning wired to the emulator): approve over
// HTTP → provisioning job → list/get → credential_process JSON for the requester only → revoke with a reason.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { type AppServices, createServices } from '../../src/app.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLog } from '../../src/http/context.ts';
import { createFakeClock } from '../../src/lib/clock.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from './harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};

forEachDialect('grants HTTP routes', (ctx) => {
  let aws: LocalAws;
  let services: AppServices;
  let app: ReturnType<typeof createHttpApp>;
  let alice: SeededUser;
  let bob: SeededUser;
  let eve: SeededUser;
  const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));

  beforeEach(async () => {
    await ctx.reset();
    aws = await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() });
    const config = loadConfig({ IAM_JIT_DEV_MODE: 'true', IAM_JIT_LOG_LEVEL: 'silent' });
    services = createServices(config, {
      database: ctx.database,
      log: silentLog,
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
    app = createHttpApp(services, config);
    alice = await seedUser(ctx.database, { id: 'email:alice@example.com' });
    bob = await seedUser(ctx.database, { id: 'email:bob@example.com', roles: ['requester', 'approver'] });
    eve = await seedUser(ctx.database, { id: 'email:eve@example.com' });
    await services.accounts.create(
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
    await services.mailer.close();
    await aws.close();
  });

  async function call(method: string, path: string, who: SeededUser, body?: unknown) {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${who.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  test('approve → grant active → credentials for the requester only → revoke', async () => {
    const submitted = await call('POST', '/api/v1/requests', alice, {
      account_ids: [SPOKE],
      justification: 'debug',
      duration_hours: 2,
      policy: POLICY,
    });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const requestId = (submitted.body.request as Record<string, unknown>).id as string;
    const plan = await call('GET', `/api/v1/requests/${requestId}/plan`, bob);
    assert.equal(plan.status, 200);
    const [acct] = plan.body.accounts as {
      account_id: string;
      problems: string[];
      steps: { command: string }[];
    }[];
    assert.equal(acct?.account_id, SPOKE);
    assert.deepEqual(acct?.problems, []);
    const commands = acct?.steps.map((st) => st.command) ?? [];
    assert.match(
      commands[0] ?? '',
      /^aws sts assume-role --role-arn arn:aws:iam::222222222222:role\/iam-jit-provisioner /,
    );
    assert.match(
      commands[1] ?? '',
      /^aws iam create-role --role-name iam-jit-GRANT_ID --path \/iam-jit\/ --max-session-duration 3600 --permissions-boundary arn:aws:iam::222222222222:policy\/iam-jit-boundary /,
    );
    assert.match(commands[2] ?? '', /put-role-policy .*"DateLessThan":\{"aws:CurrentTime":"/);
    assert.equal((await call('GET', `/api/v1/requests/${requestId}/plan`, eve)).status, 404);
    assert.equal((await call('POST', `/api/v1/requests/${requestId}/approve`, bob, {})).status, 200);
    const runner = services.jobRunner;
    assert.ok(runner);
    assert.ok(services.startReconciler);
    await services.startReconciler();
    await runner.runDue();
    const reconcileRuns = await ctx.database.db
      .selectFrom('jobs')
      .select(['status'])
      .where('type', '=', 'grant.reconcile')
      .execute();
    // This interval's run succeeded and scheduled the next one.
    assert.deepEqual(reconcileRuns.map((r) => r.status).sort(), ['pending', 'succeeded']);

    const listed = await call('GET', `/api/v1/grants?request_id=${requestId}`, alice);
    const items = listed.body.items as Record<string, unknown>[];
    assert.equal(items.length, 1);
    const grantId = items[0]?.id as string;
    assert.equal(items[0]?.status, 'active');
    assert.equal(items[0]?.role_name, `iam-jit-${grantId}`);
    assert.deepEqual(items[0]?.usage, [
      `iam-jit creds ${grantId}`,
      `eval "$(iam-jit creds ${grantId} --format env)"`,
      `[profile iam-jit-${SPOKE}]\ncredential_process = iam-jit creds ${grantId}`,
      `GET /api/v1/grants/${grantId}/console-url`,
    ]);
    assert.equal((await call('GET', `/api/v1/grants/${grantId}`, eve)).status, 404);
    assert.deepEqual((await call('GET', '/api/v1/grants', eve)).body.items, []);
    const byAccount = await call('GET', `/api/v1/grants?account_id=${SPOKE}&limit=1`, bob);
    assert.equal((byAccount.body.items as unknown[]).length, 1);
    assert.equal(typeof byAccount.body.next_cursor, 'string');
    const next = await call('GET', `/api/v1/grants?cursor=${byAccount.body.next_cursor as string}`, bob);
    assert.deepEqual(next.body, { items: [], next_cursor: null });

    const creds = await call('GET', `/api/v1/grants/${grantId}/credentials`, alice);
    assert.equal(creds.status, 200);
    assert.equal(creds.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(creds.body).sort(), [
      'AccessKeyId',
      'Expiration',
      'SecretAccessKey',
      'SessionToken',
      'Version',
    ]);
    assert.equal(creds.body.Version, 1);
    const byBob = await call('GET', `/api/v1/grants/${grantId}/credentials`, bob);
    assert.equal(byBob.status, 403);

    const noReason = await call('POST', `/api/v1/grants/${grantId}/revoke`, bob, { reason: '' });
    assert.equal(noReason.status, 400);
    const revoked = await call('POST', `/api/v1/grants/${grantId}/revoke`, bob, { reason: 'incident over' });
    assert.equal(revoked.status, 202);
    assert.equal(revoked.body.status, 'revoking');
    await runner.runDue();
    const after = await call('GET', `/api/v1/grants/${grantId}`, alice);
    assert.equal(after.body.status, 'revoked');
    assert.equal(after.body.revoked_by, bob.user.id);
    const late = await call('GET', `/api/v1/grants/${grantId}/credentials`, alice);
    assert.equal(late.status, 409);
  });
});
