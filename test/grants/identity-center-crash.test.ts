// identity_center: the process dies between CreatePermissionSet and recording the set's ARN on the grant (both
// dialects, SDK v3 against the emulator). The retry's CreatePermissionSet conflicts (AWS: ConflictException
// "PermissionSet with name … already exists."), finds the set by name (ListPermissionSets + DescribePermissionSet)
// and reuses it because it carries the grant's managed-by=iam-jit and grant-id tags (ListTagsForResource); a set of
// that name iam-jit did not make for the grant is never taken over. When the grant ends before a retry, the set —
// provisioned nowhere — is in the reconciler's inventory and removed as an orphan.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  CreatePermissionSetCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
} from '@aws-sdk/client-sso-admin';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { reconcileGrants } from '../../src/grants/reconcile.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  BOUNDARY,
  BROKER_ARN,
  bob,
  EXTERNAL_ID,
  type GrantHarness,
  HUB_CREDENTIALS,
  IC_ACCOUNT,
  IC_ROLE_ARN,
  startGrantHarness,
} from './harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
};

forEachDialect('grants: identity_center crash between CreatePermissionSet and recording its ARN', (ctx) => {
  let h: GrantHarness;
  let sso: ReturnType<typeof sdkClients>['sso'];
  let instanceArn: string;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
    await h.accounts.create(
      {
        id: IC_ACCOUNT,
        name: 'Identity Center account',
        environment: 'nonprod',
        provisioningMode: 'identity_center',
        approvers: [bob.id],
        spokeRoleArn: IC_ROLE_ARN,
        externalId: EXTERNAL_ID,
      },
      'system',
    );
    ({ sso } = sdkClients(h.aws.url, {
      accessKeyId: `AKIA${IC_ACCOUNT}ROOT`,
      secretAccessKey: `local-aws-root-secret-${IC_ACCOUNT}`,
    }));
    instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn ?? '';
  });
  afterEach(() => h.close());

  /** The permission sets of the instance named `name` (the emulator's state). */
  const setsNamed = (name: string) =>
    (h.aws.state.accounts[IC_ACCOUNT]?.identityCenter?.permissionSets ?? []).filter((p) => p.name === name);
  const approved = async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [IC_ACCOUNT],
      justification: 'debug',
      durationHours: 2,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.equal(grant?.status, 'pending');
    return grant as NonNullable<typeof grant>;
  };
  const reconcile = (options: { dryRun?: boolean } = {}) => {
    const grantStore = createGrantStore(ctx.database, { clock: h.clock });
    return reconcileGrants(
      {
        grants: grantStore.grants,
        accounts: createAccountRepo(ctx.database.db),
        transaction: grantStore.transaction,
        aws: createGrantAws({
          endpoint: h.aws.url,
          hubCredentials: HUB_CREDENTIALS,
          maxAttempts: 1,
          now: () => h.clock.now(),
        }),
        clock: h.clock,
        settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      },
      options,
    );
  };

  test('the retry finds the set by name and reuses it: one permission set, grant active and assigned', async () => {
    const grant = await approved();
    h.crashNextArnRecord();
    await assert.rejects(h.lifecycle.provision(grant.id), {
      message: 'process killed after CreatePermissionSet',
    });
    const pending = await h.grants.get(alice, grant.id);
    assert.equal(pending.status, 'pending');
    assert.equal(pending.roleArn, null, 'the ARN was never recorded');
    const [left] = setsNamed(grant.id);
    assert.ok(left, 'CreatePermissionSet ran before the crash');

    // After the restart the provision job runs (again): CreatePermissionSet conflicts and the set is adopted.
    await h.runner.runDue();
    const active = await h.grants.get(alice, grant.id);
    assert.equal(active.status, 'active');
    assert.equal(active.roleArn, left.arn);
    assert.equal(setsNamed(grant.id).length, 1);
    assert.deepEqual(setsNamed(grant.id)[0]?.provisionedAccounts, [IC_ACCOUNT]);
    const assigned = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: instanceArn,
        AccountId: IC_ACCOUNT,
        PermissionSetArn: left.arn,
      }),
    );
    assert.equal(assigned.AccountAssignments?.length, 1);
    assert.deepEqual(await reconcile(), []);
  });

  test('a set of that name that iam-jit did not make for the grant is not taken over', async () => {
    const grant = await approved();
    const foreign = await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: instanceArn,
        Name: grant.id,
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    const arn = foreign.PermissionSet?.PermissionSetArn ?? '';
    await assert.rejects(h.lifecycle.provision(grant.id), {
      message: `a permission set named ${grant.id} (${arn}) already exists in the Identity Center instance but was not made by iam-jit for grant ${grant.id} (it lacks the tags managed-by=iam-jit and iam-jit:grant-id=${grant.id}); iam-jit will not take it over: rename or delete it`,
    });
    const still = await h.grants.get(alice, grant.id);
    assert.equal(still.status, 'pending');
    assert.equal(still.roleArn, null);
    assert.deepEqual(setsNamed(grant.id)[0]?.tags, [{ Key: 'team', Value: 'platform' }]);
    assert.deepEqual(setsNamed(grant.id)[0]?.provisionedAccounts, []);
  });

  test('a set left by the crash whose grant ended is in the reconciler inventory and removed as an orphan', async () => {
    const grant = await approved();
    h.crashNextArnRecord();
    await assert.rejects(h.lifecycle.provision(grant.id), {
      message: 'process killed after CreatePermissionSet',
    });
    const [left] = setsNamed(grant.id);
    assert.ok(left);
    assert.deepEqual(left.provisionedAccounts, [], 'provisioned nowhere');
    await h.grants.revoke(alice, grant.id, { reason: 'not needed any more' });
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'revoked');
    assert.equal(setsNamed(grant.id).length, 1, 'revocation did not know the set');

    const dry = await reconcile({ dryRun: true });
    assert.deepEqual(
      dry.map((f) => [f.kind, f.roleName, f.grantId, f.outcome]),
      [['orphan_permission_set', left.arn, grant.id, 'would revoke']],
    );
    assert.equal(setsNamed(grant.id).length, 1);
    const found = await reconcile();
    assert.deepEqual(
      found.map((f) => [f.kind, f.roleName, f.grantId, f.outcome]),
      [['orphan_permission_set', left.arn, grant.id, 'revoked']],
    );
    assert.equal(setsNamed(grant.id).length, 0);
    await assert.rejects(
      sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: left.arn })),
      { name: 'ResourceNotFoundException' },
    );
    assert.ok((await h.auditActions(grant.id)).includes('reconcile.orphan_permission_set'));
    assert.deepEqual(await reconcile(), []);
  });
});
