// Which IAM calls ending a grant makes, through the lifecycle, the real SDK and the emulator, on both dialects. Past
// not_after the role's trust policy and every statement of its policy carry `DateLessThan aws:CurrentTime =
// not_after` and allow nothing, to sessions issued before too (IAM User Guide, "Condition operators: DateLessThan";
// IAM evaluates a session's permissions on every request), so natural expiry deletes the policy and the role (2 calls)
// without the `aws:TokenIssueTime` deny. Early revocation writes the deny first (IAM User Guide, "Revoke IAM role
// temporary security credentials"): 3 calls. The emulator's calls are counted through zero-delay latency rules,
// whose remaining counts its fault controller lists.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Grant } from '../../src/grants/grant.ts';
import { MINUTE } from '../../src/lib/clock.ts';
import type { FaultController } from '../../src/local-aws/index.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { forEachDialect } from '../support/dialects.ts';
import { alice, bob, type GrantHarness, HUB_CREDENTIALS, SPOKE, startGrantHarness } from './harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'List', Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};
const OPERATIONS = ['*', 'AssumeRole', 'PutRolePolicy', 'DeleteRolePolicy', 'DeleteRole'] as const;
const MANY = 1_000_000;

/**
 * Counts the emulator's calls from now on: `iam` every call but STS AssumeRole (the hub refreshing its spoke session
 * is not part of revoking), and the three calls revocation is made of.
 */
function countCalls(faults: FaultController): () => Record<string, number> {
  for (const op of OPERATIONS) faults.latency(0, op, MANY);
  return () => {
    const left = faults.list();
    const count = (op: string) =>
      MANY - (left.find((r) => r.type === 'latency' && r.operation === op)?.count ?? 0);
    return {
      iam: count('*') - count('AssumeRole'),
      PutRolePolicy: count('PutRolePolicy'),
      DeleteRolePolicy: count('DeleteRolePolicy'),
      DeleteRole: count('DeleteRole'),
    };
  };
}

const failsWith = (name: string) => (e: unknown) => e instanceof Error && e.name === name;

forEachDialect('grants: the IAM calls of expiry and revocation', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  async function activeGrant(): Promise<Grant> {
    const requestId = await h.requests.submit(alice, {
      accountIds: [SPOKE],
      justification: 'debug a deployment',
      durationHours: 1,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    await h.runner.runDue();
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.equal(grant?.status, 'active');
    return grant;
  }

  /**
   * A session of the grant role that outlives not_after: the hub assumes it directly for 1 h, 10 minutes before the
   * end (iam-jit's own vending caps sessions at not_after; this one shows what the time conditions alone do).
   */
  async function lateSession(grant: Grant): Promise<IAMClient> {
    h.clock.advance(50 * MINUTE);
    const out = await sdkClients(h.aws.url, HUB_CREDENTIALS).sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${SPOKE}:role/iam-jit/${grant.roleName}`,
        RoleSessionName: 'late',
        SourceIdentity: 'email+alice@example.com',
        DurationSeconds: 3600,
      }),
    );
    assert.ok(out.Credentials?.Expiration && out.Credentials.Expiration > grant.notAfter);
    const session = new IAMClient({
      endpoint: h.aws.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: out.Credentials.AccessKeyId ?? '',
        secretAccessKey: out.Credentials.SecretAccessKey ?? '',
        sessionToken: out.Credentials.SessionToken ?? '',
      },
    });
    assert.ok((await session.send(new ListRolesCommand({}))).Roles);
    return session;
  }

  const grantPolicy = async (g: Grant) =>
    JSON.parse(
      decodeURIComponent(
        (
          await h.spokeAdmin.iam.send(
            new GetRolePolicyCommand({ RoleName: g.roleName, PolicyName: 'iam-jit-grant' }),
          )
        ).PolicyDocument ?? '',
      ),
    ) as { Statement: { Effect: string; Condition?: unknown }[] };

  test('expiry makes exactly DeleteRolePolicy and DeleteRole; an older session fails after not_after', async () => {
    const grant = await activeGrant();
    const session = await lateSession(grant);
    h.clock.advance(10 * MINUTE + 1000);
    const calls = countCalls(h.aws.faults);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.deepEqual(calls(), { iam: 2, PutRolePolicy: 0, DeleteRolePolicy: 1, DeleteRole: 1 });
    await assert.rejects(
      h.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: grant.roleName })),
      failsWith('NoSuchEntityException'),
    );
    await assert.rejects(session.send(new ListRolesCommand({})), failsWith('AccessDenied'));
  });

  test('past not_after the approved policy alone denies an older session, before any call removed it', async () => {
    const grant = await activeGrant();
    const session = await lateSession(grant);
    h.clock.advance(10 * MINUTE + 1000);
    h.aws.faults.fail('DeleteRolePolicy', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
    await assert.rejects(h.lifecycle.end(grant.id, { expiry: true }), /boom/);
    assert.equal((await h.grants.get(alice, grant.id)).status, 'revoking');
    // No deny was written: the policy is the approved one, time-bounded, and it no longer allows the session.
    assert.deepEqual(
      (await grantPolicy(grant)).Statement.map((s) => [s.Effect, s.Condition]),
      [['Allow', { DateLessThan: { 'aws:CurrentTime': grant.notAfter.toISOString() } }]],
    );
    await assert.rejects(session.send(new ListRolesCommand({})), failsWith('AccessDenied'));
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
  });

  test('early revoke still writes the deny of older sessions first (3 calls)', async () => {
    const grant = await activeGrant();
    const session = await lateSession(grant);
    await h.grants.revoke(alice, grant.id, { reason: 'done early' });
    h.aws.faults.fail('DeleteRolePolicy', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
    await assert.rejects(h.lifecycle.end(grant.id, { expiry: false }), /boom/);
    const revokeBefore = h.clock.now().toISOString();
    assert.deepEqual(
      (await grantPolicy(grant)).Statement.map((s) => [s.Effect, s.Condition]),
      [['Deny', { DateLessThan: { 'aws:TokenIssueTime': revokeBefore } }]],
    );
    await assert.rejects(session.send(new ListRolesCommand({})), failsWith('AccessDenied'));

    const calls = countCalls(h.aws.faults);
    await h.lifecycle.end(grant.id, { expiry: false });
    assert.equal((await h.grants.get(alice, grant.id)).status, 'revoked');
    assert.deepEqual(calls(), { iam: 3, PutRolePolicy: 1, DeleteRolePolicy: 1, DeleteRole: 1 });
  });

  test('an expiry job running before not_after on a grant revoked early keeps the deny', async () => {
    const grant = await activeGrant();
    await h.grants.revoke(alice, grant.id, { reason: 'done early' });
    const calls = countCalls(h.aws.faults);
    await h.lifecycle.end(grant.id, { expiry: true });
    assert.equal((await h.grants.get(alice, grant.id)).status, 'revoked');
    assert.deepEqual(calls(), { iam: 3, PutRolePolicy: 1, DeleteRolePolicy: 1, DeleteRole: 1 });
  });

  test('expiry of a role someone added a policy to writes the deny before removing that policy', async () => {
    const grant = await activeGrant();
    await h.spokeAdmin.iam.send(
      new PutRolePolicyCommand({
        RoleName: grant.roleName,
        PolicyName: 'added-by-hand',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        }),
      }),
    );
    const session = await lateSession(grant);
    h.clock.advance(10 * MINUTE + 1000);
    // The added policy has no time bound: the session still works past not_after until the deny lands.
    assert.ok((await session.send(new ListRolesCommand({}))).Roles);
    h.aws.faults.fail('ListRolePolicies', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
    const calls = countCalls(h.aws.faults);
    await assert.rejects(h.lifecycle.end(grant.id, { expiry: true }), /boom/);
    // The grant policy went, DeleteRole met the added policy, the deny was written, then the run failed listing.
    assert.deepEqual(calls(), { iam: 4, PutRolePolicy: 1, DeleteRolePolicy: 1, DeleteRole: 1 });
    const deny = await h.spokeAdmin.iam.send(
      new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-revoke-sessions' }),
    );
    assert.match(decodeURIComponent(deny.PolicyDocument ?? ''), /aws:TokenIssueTime/);
    await assert.rejects(session.send(new ListRolesCommand({})), failsWith('AccessDenied'));
    await h.lifecycle.end(grant.id, { expiry: true });
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    await assert.rejects(
      h.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: grant.roleName })),
      failsWith('NoSuchEntityException'),
    );
  });
});
