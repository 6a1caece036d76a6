// identity_center extend and reconcile against the emulator (both dialects). Extend: the per-grant permission set's
// policy is rewritten with the new not_after and re-provisioned, and expiry follows. Reconcile: an iam-jit permission
// set without a live grant is removed; an active grant's edited policy and deleted assignment are repaired; on an
// admin's shared set, an assignment iam-jit made whose lease ended is removed while the admin's own assignments and
// live leases stay. AWS: IAM Identity Center API reference (ListPermissionSetsProvisionedToAccount,
// ListTagsForResource, GetInlinePolicyForPermissionSet, ListAccountAssignments).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { GetUserIdCommand } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { createAccountService } from '../../src/accounts/account-service.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { reconcileGrants } from '../../src/grants/reconcile.ts';
import { HOUR } from '../../src/lib/clock.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
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

forEachDialect('grants: identity_center extend and reconcile', (ctx) => {
  let h: GrantHarness;
  let sso: ReturnType<typeof sdkClients>['sso'];
  let store: ReturnType<typeof sdkClients>['identityStore'];
  let instanceArn: string;
  let identityStoreId: string;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
    const requests = createRequestStore(ctx.database);
    await createAccountService({
      accounts: requests.accounts,
      transaction: requests.transaction,
      clock: h.clock,
    }).create(
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
    ({ sso, identityStore: store } = sdkClients(h.aws.url, {
      accessKeyId: `AKIA${IC_ACCOUNT}ROOT`,
      secretAccessKey: `local-aws-root-secret-${IC_ACCOUNT}`,
    }));
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
    instanceArn = instance?.InstanceArn ?? '';
    identityStoreId = instance?.IdentityStoreId ?? '';
  });
  afterEach(() => h.close());

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
  const grantNow = async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [IC_ACCOUNT],
      justification: 'debug',
      durationHours: 2,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.equal(grant?.status, 'active');
    return grant as NonNullable<typeof grant>;
  };
  const policyOf = async (arn: string) =>
    JSON.parse(
      (
        await sso.send(
          new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
        )
      ).InlinePolicy ?? '{}',
    ) as { Statement: { Action: string; Condition?: { DateLessThan: Record<string, string> } }[] };
  const assignees = async (arn: string) =>
    (
      (
        await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: IC_ACCOUNT,
            PermissionSetArn: arn,
          }),
        )
      ).AccountAssignments ?? []
    ).map((a) => a.PrincipalId);
  const userId = async (userName: string) =>
    (
      await store.send(
        new GetUserIdCommand({
          IdentityStoreId: identityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
        }),
      )
    ).UserId ?? '';
  const assign = async (arn: string, userName: string) =>
    sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        PrincipalType: 'USER',
        PrincipalId: await userId(userName),
        TargetType: 'AWS_ACCOUNT',
        TargetId: IC_ACCOUNT,
      }),
    );

  test('extend rewrites the per-grant permission set with the new not_after; expiry follows', async () => {
    const grant = await grantNow();
    const extended = await h.grants.extend(bob, grant.id, { hours: 1, reason: 'incident still open' });
    assert.equal(extended.notAfter.getTime(), grant.notAfter.getTime() + HOUR);
    await h.runner.runDue();
    assert.deepEqual((await policyOf(grant.roleArn ?? '')).Statement[0]?.Condition, {
      DateLessThan: { 'aws:CurrentTime': extended.notAfter.toISOString() },
    });
    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    h.clock.advance(HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    await assert.rejects(
      sso.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: grant.roleArn ?? '' }),
      ),
      { name: 'ResourceNotFoundException' },
    );
  });

  test('orphan permission sets removed, drift and a missing assignment repaired, the admin’s sets untouched', async () => {
    const grant = await grantNow();
    const arn = grant.roleArn ?? '';
    const orphan = await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: instanceArn,
        Name: 'grt_nosuchgrant000000000000',
        Tags: [
          { Key: 'managed-by', Value: 'iam-jit' },
          { Key: 'iam-jit:grant-id', Value: 'grt_nosuchgrant000000000000' },
        ],
      }),
    );
    const orphanArn = orphan.PermissionSet?.PermissionSetArn ?? '';
    const admins = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'AdminOwn' }),
    );
    const adminArn = admins.PermissionSet?.PermissionSetArn ?? '';
    // An admin's set tagged managed-by=iam-jit by hand, without a grant id: not iam-jit's, never removed.
    const handTagged = await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: instanceArn,
        Name: 'AdminHandTagged',
        Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
      }),
    );
    const handTaggedArn = handTagged.PermissionSet?.PermissionSetArn ?? '';
    for (const ps of [orphanArn, adminArn, handTaggedArn]) {
      await sso.send(
        new ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: ps,
          TargetType: 'AWS_ACCOUNT',
          TargetId: IC_ACCOUNT,
        }),
      );
      await assign(ps, 'alice@example.com');
    }
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        InlinePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );

    const dry = await reconcile({ dryRun: true });
    assert.deepEqual(
      dry.map((f) => [f.kind, f.roleName, f.outcome]),
      [
        ['orphan_permission_set', orphanArn, 'would revoke'],
        ['policy_drift', arn, 'would repair'],
      ],
    );
    const found = await reconcile();
    assert.deepEqual(
      found.map((f) => [f.kind, f.roleName, f.grantId, f.outcome]),
      [
        ['orphan_permission_set', orphanArn, null, 'revoked'],
        ['policy_drift', arn, grant.id, 'repaired'],
      ],
    );
    await assert.rejects(
      sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: orphanArn })),
      { name: 'ResourceNotFoundException' },
    );
    assert.deepEqual(await assignees(adminArn), [await userId('alice@example.com')]);
    assert.deepEqual(await assignees(handTaggedArn), [await userId('alice@example.com')]);
    assert.equal((await policyOf(arn)).Statement[0]?.Action, 's3:ListAllMyBuckets');
    assert.deepEqual(await reconcile(), []);

    await sso.send(
      new DeleteAccountAssignmentCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        PrincipalType: 'USER',
        PrincipalId: await userId('alice@example.com'),
        TargetType: 'AWS_ACCOUNT',
        TargetId: IC_ACCOUNT,
      }),
    );
    assert.deepEqual(
      (await reconcile()).map((f) => [f.kind, f.outcome]),
      [['missing_assignment', 'repaired']],
    );
    assert.deepEqual(await assignees(arn), [await userId('alice@example.com')]);
    const actions = await h.auditActions(grant.id);
    assert.ok(actions.includes('reconcile.policy_drift'), actions.join());
    assert.ok(actions.includes('reconcile.missing_assignment'), actions.join());
  });

  test('shared permission set: a leftover assignment of an ended lease is removed; live leases and the admin’s own stay', async () => {
    const created = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ReadOnlyOnCall' }),
    );
    const shared = created.PermissionSet?.PermissionSetArn ?? '';
    await h.accounts.update(IC_ACCOUNT, { permissionSetArn: shared });
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: shared,
        TargetType: 'AWS_ACCOUNT',
        TargetId: IC_ACCOUNT,
      }),
    );
    await assign(shared, 'dana@example.com');
    const grant = await grantNow();
    assert.equal(grant.roleArn, shared);
    const alices = await userId('alice@example.com');
    const danas = await userId('dana@example.com');
    assert.deepEqual((await assignees(shared)).sort(), [alices, danas].sort());
    assert.deepEqual(await reconcile(), []);

    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.deepEqual(await assignees(shared), [danas]);
    // Someone (or a half-failed removal) puts alice's assignment back: no lease holds it any more.
    await assign(shared, 'alice@example.com');
    const found = await reconcile();
    assert.deepEqual(
      found.map((f) => [f.kind, f.roleName, f.grantId, f.outcome]),
      [['orphan_assignment', shared, grant.id, 'revoked']],
    );
    assert.deepEqual(await assignees(shared), [danas]);
  });
});
