// identity_center mode end to end against the emulator (SSO Admin + Identity Store over SDK v3), both dialects:
// approval → a per-grant permission set with the time-bounded policy, provisioned and assigned to the user's Identity
// Center user → expiry removes the assignment and the permission set. Behaviour: AWS IAM Identity Center API
// reference (CreatePermissionSet Name ≤ 32, CreateAccountAssignment / DeleteAccountAssignment are asynchronous).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  CreatePermissionSetCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
} from '@aws-sdk/client-sso-admin';
import { createAccountService } from '../../src/accounts/account-service.ts';
import { HOUR } from '../../src/lib/clock.ts';
import { isBrokerError } from '../../src/lib/errors.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  bob,
  EXTERNAL_ID,
  type GrantHarness,
  IC_ACCOUNT,
  IC_ROLE_ARN,
  SPOKE,
  startGrantHarness,
} from './harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:ListAllMyBuckets',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } },
    },
  ],
};

forEachDialect('grants: identity_center end to end', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
    const store = createRequestStore(ctx.database);
    await createAccountService({
      accounts: store.accounts,
      transaction: store.transaction,
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
  });
  afterEach(() => h.close());

  test('approve → permission set assigned with the time-bounded policy → expiry removes both', async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [IC_ACCOUNT],
      justification: 'debug',
      durationHours: 2,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.ok(grant);
    assert.equal(grant.status, 'active');
    assert.equal(grant.mode, 'identity_center');
    const psArn = grant.roleArn ?? '';
    assert.match(psArn, /^arn:aws:sso:::permissionSet\//);

    const { sso } = sdkClients(h.aws.url, {
      accessKeyId: `AKIA${IC_ACCOUNT}ROOT`,
      secretAccessKey: `local-aws-root-secret-${IC_ACCOUNT}`,
    });
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn ?? '';
    const ps = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }),
    );
    assert.equal(ps.PermissionSet?.Name, grant.id);
    assert.equal(ps.PermissionSet?.SessionDuration, 'PT1H');
    // Read the stored permission set (GetInlinePolicyForPermissionSet is covered by identity-center-reconcile).
    const stored = h.aws.state.accounts[IC_ACCOUNT]?.identityCenter?.permissionSets.find(
      (p) => p.arn === psArn,
    );
    assert.deepEqual(JSON.parse(stored?.inlinePolicy ?? '{}').Statement[0].Condition, {
      DateLessThan: { 'aws:CurrentTime': grant.notAfter.toISOString() },
    });
    assert.deepEqual(stored?.provisionedAccounts, [IC_ACCOUNT]);
    const assignments = async () =>
      (
        await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: IC_ACCOUNT,
            PermissionSetArn: psArn,
          }),
        )
      ).AccountAssignments ?? [];
    assert.equal((await assignments()).length, 1);
    await assert.rejects(h.grants.credentials(alice, grant.id), (e) => isBrokerError(e, 'Unsupported'));

    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'expired');
    await assert.rejects(
      sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn })),
    );
  });

  test('a multi-account request gets one grant per account; the request ends when the last grant ends', async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [IC_ACCOUNT, SPOKE],
      justification: 'debug both',
      durationHours: 2,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const grants = (await h.grants.list(alice, { requestId })).items;
    assert.deepEqual(
      grants.map((g) => [g.accountId, g.mode, g.status]).sort(),
      [
        [SPOKE, 'iam_role', 'active'],
        [IC_ACCOUNT, 'identity_center', 'active'],
      ].sort(),
    );
    const roleGrant = grants.find((g) => g.accountId === SPOKE);
    assert.ok(roleGrant);
    await h.grants.revoke(alice, roleGrant.id, { reason: 'done there' });
    await h.runner.runDue();
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'active');
    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'revoked');
  });

  test('an admin-chosen shared permission set: overlapping grants share the assignment until the last lease ends', async () => {
    const { sso } = sdkClients(h.aws.url, {
      accessKeyId: `AKIA${IC_ACCOUNT}ROOT`,
      secretAccessKey: `local-aws-root-secret-${IC_ACCOUNT}`,
    });
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn ?? '';
    const created = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ReadOnlyOnCall' }),
    );
    const psArn = created.PermissionSet?.PermissionSetArn ?? '';
    await h.accounts.update(IC_ACCOUNT, { permissionSetArn: psArn });
    const assignments = async () =>
      (
        await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: IC_ACCOUNT,
            PermissionSetArn: psArn,
          }),
        )
      ).AccountAssignments ?? [];
    const grantFor = async () => {
      const requestId = await h.requests.submit(alice, {
        accountIds: [IC_ACCOUNT],
        justification: 'on call',
        durationHours: 2,
        spec: { type: 'policy', policy: POLICY },
      });
      await h.requests.approve(bob, requestId);
      await h.runner.runDue();
      const [grant] = (await h.grants.list(alice, { requestId })).items;
      assert.equal(grant?.status, 'active');
      assert.equal(grant?.roleArn, psArn);
      return grant;
    };
    const first = await grantFor();
    h.clock.advance(30 * 60_000);
    const second = await grantFor();
    assert.equal((await assignments()).length, 1);
    // The leases are keyed on the account's set: it cannot move while grants hold them.
    await assert.rejects(h.accounts.update(IC_ACCOUNT, { permissionSetArn: null }), (e) =>
      isBrokerError(e, 'AccountInUse'),
    );

    h.clock.advance(90 * 60_000);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, first?.id ?? '')).status, 'expired');
    assert.equal((await assignments()).length, 1, 'the second grant still holds a lease');

    h.clock.advance(30 * 60_000);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, second?.id ?? '')).status, 'expired');
    assert.equal((await assignments()).length, 0);
    const stillThere = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }),
    );
    assert.equal(stillThere.PermissionSet?.Name, 'ReadOnlyOnCall');
    assert.equal((await h.accounts.update(IC_ACCOUNT, { permissionSetArn: null })).permissionSetArn, null);
  });

  test('a revocation that believes an admin set is its own (the account field changed under the grant) only removes the assignment', async () => {
    const { sso } = sdkClients(h.aws.url, {
      accessKeyId: `AKIA${IC_ACCOUNT}ROOT`,
      secretAccessKey: `local-aws-root-secret-${IC_ACCOUNT}`,
    });
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn ?? '';
    const created = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'AdminReadOnly' }),
    );
    const psArn = created.PermissionSet?.PermissionSetArn ?? '';
    await h.accounts.update(IC_ACCOUNT, { permissionSetArn: psArn });
    const requestId = await h.requests.submit(alice, {
      accountIds: [IC_ACCOUNT],
      justification: 'on call',
      durationHours: 1,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.equal(grant?.roleArn, psArn);
    // What the AccountInUse guard prevents through the service, done behind its back (a race, a restored backup).
    await ctx.database.db
      .updateTable('accounts')
      .set({ permission_set_arn: null })
      .where('id', '=', IC_ACCOUNT)
      .execute();
    h.clock.advance(2 * 60 * 60_000);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant?.id ?? '')).status, 'expired');
    const assignments = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: instanceArn,
        AccountId: IC_ACCOUNT,
        PermissionSetArn: psArn,
      }),
    );
    assert.deepEqual(assignments.AccountAssignments ?? [], []);
    const stillThere = await sso.send(
      new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }),
    );
    assert.equal(stillThere.PermissionSet?.Name, 'AdminReadOnly');
    const policy = await sso.send(
      new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }),
    );
    assert.equal(policy.InlinePolicy ?? '', '', 'no deny was written on the admin set');
  });
});
