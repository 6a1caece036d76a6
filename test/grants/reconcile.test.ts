// The reconciler against the emulator (both dialects): an orphan /iam-jit/ role is revoked, a live grant's edited
// policy and a deleted role are repaired, roles outside /iam-jit/ are never touched, and every finding is audited.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { reconcileGrants } from '../../src/grants/reconcile.ts';
import { createReconcileJob } from '../../src/grants/reconcile-job.ts';
import { createJobRunner } from '../../src/jobs/index.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { createJobStore } from '../../src/store/jobs-repo.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  BOUNDARY,
  BROKER_ARN,
  bob,
  type GrantHarness,
  HUB_CREDENTIALS,
  SPOKE,
  startGrantHarness,
} from './harness.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
  ],
});
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};

forEachDialect('grants: reconciler', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  const reconcile = () => {
    const store = createGrantStore(ctx.database, { clock: h.clock });
    return reconcileGrants({
      grants: store.grants,
      accounts: createAccountRepo(ctx.database.db),
      transaction: store.transaction,
      aws: createGrantAws({
        endpoint: h.aws.url,
        hubCredentials: HUB_CREDENTIALS,
        maxAttempts: 1,
        now: () => h.clock.now(),
      }),
      clock: h.clock,
      settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
    });
  };

  test('the reconcile job runs once per interval and schedules the next', async () => {
    const store = createGrantStore(ctx.database, { clock: h.clock });
    const found: number[] = [];
    const job = createReconcileJob(
      {
        grants: store.grants,
        accounts: createAccountRepo(ctx.database.db),
        transaction: store.transaction,
        aws: createGrantAws({
          endpoint: h.aws.url,
          hubCredentials: HUB_CREDENTIALS,
          maxAttempts: 1,
          now: () => h.clock.now(),
        }),
        clock: h.clock,
        settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      },
      { everyMs: 15 * MINUTE, report: (f) => found.push(f.length) },
    );
    const runner = createJobRunner({
      store: createJobStore(ctx.database),
      definitions: [job.definition],
      clock: h.clock,
    });
    await job.scheduleFirst();
    await job.scheduleFirst();
    assert.equal(await runner.runDue(), 1);
    assert.deepEqual(found, [0]);
    h.clock.advance(15 * MINUTE);
    assert.equal(await runner.runDue(), 1);
    assert.deepEqual(found, [0, 0]);
  });

  test('orphans are revoked, drift is repaired, other roles untouched, all audited', async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [SPOKE],
      justification: 'debug',
      durationHours: 2,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.ok(grant);
    const iam = h.spokeAdmin.iam;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'iam-jit-grt_nosuchgrant0000000000',
        Path: '/iam-jit/',
        AssumeRolePolicyDocument: TRUST,
        Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
      }),
    );
    await iam.send(new CreateRoleCommand({ RoleName: 'Production', AssumeRolePolicyDocument: TRUST }));
    const broad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: grant.roleName,
        PolicyName: 'iam-jit-grant',
        PolicyDocument: JSON.stringify(broad),
      }),
    );

    const findings = await reconcile();
    assert.deepEqual(
      findings.map((f) => [f.kind, f.roleName, f.outcome]),
      [
        ['orphan_role', 'iam-jit-grt_nosuchgrant0000000000', 'revoked'],
        ['policy_drift', grant.roleName, 'repaired'],
      ],
    );
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'iam-jit-grt_nosuchgrant0000000000' })));
    assert.ok((await iam.send(new GetRoleCommand({ RoleName: 'Production' }))).Role);
    const repaired = await iam.send(
      new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }),
    );
    assert.doesNotMatch(decodeURIComponent(repaired.PolicyDocument ?? ''), /"Action":"\*"/);
    assert.deepEqual(await reconcile(), []);

    await iam.send(new DeleteRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }));
    await iam.send(new DeleteRoleCommand({ RoleName: grant.roleName }));
    assert.deepEqual(
      (await reconcile()).map((f) => [f.kind, f.outcome]),
      [['missing_role', 'repaired']],
    );
    assert.ok((await iam.send(new GetRoleCommand({ RoleName: grant.roleName }))).Role);
    const actions = (await createAuditReader(ctx.database.db).list({ actor: 'system' }, 0, 500)).map(
      (r) => r.action,
    );
    for (const a of ['reconcile.orphan_role', 'reconcile.policy_drift', 'reconcile.missing_role'])
      assert.ok(actions.includes(a), a);
  });
});
