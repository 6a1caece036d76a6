// End to end through the real SDK v3 against the emulator, on both dialects: approval → provisioning job → role with
// the expected trust, tags, boundary and time-bounded policy → vended credentials work for the granted action only →
// expiry / revocation → role gone, same credentials refused. Expected AWS behaviour: IAM User Guide ("Permissions
// boundaries", "Condition operators: DateLessThan", "Revoking IAM role temporary security credentials" —
// aws:TokenIssueTime deny), STS AssumeRole API reference (DurationSeconds 900…, SourceIdentity).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { Grant } from '../../src/grants/grant.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { isBrokerError } from '../../src/lib/errors.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { createJobQueue } from '../../src/store/jobs-repo.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  BOUNDARY,
  BROKER_ARN,
  bob,
  eve,
  type GrantHarness,
  SPOKE,
  startGrantHarness,
} from './harness.ts';

/** Allows ListRoles; the requester tries to stretch it to 2099 with their own aws:CurrentTime condition. */
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'List',
      Effect: 'Allow',
      Action: 'iam:ListRoles',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } },
    },
  ],
};

const decode = (doc: string | undefined): unknown => JSON.parse(decodeURIComponent(doc ?? ''));
const failsWith = (name: string) => (e: unknown) => e instanceof Error && e.name === name;

forEachDialect('grants: iam_role end to end', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  async function approve(durationHours = 2): Promise<{ requestId: string; grant: Grant }> {
    const requestId = await h.requests.submit(alice, {
      accountIds: [SPOKE],
      justification: 'debug a deployment',
      durationHours,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.ok(grant);
    return { requestId, grant };
  }

  const roleOf = (g: Grant) => h.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: g.roleName }));

  test('approval creates a pending grant; the role appears only when the provisioning job runs', async () => {
    const approvedAt = h.clock.now();
    const { requestId, grant } = await approve();
    assert.equal(grant.status, 'pending');
    assert.equal(grant.notBefore.getTime(), approvedAt.getTime());
    assert.equal(grant.notAfter.getTime(), approvedAt.getTime() + 2 * HOUR);
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'approved');
    await assert.rejects(roleOf(grant), failsWith('NoSuchEntityException'));
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'active');
  });

  test('the role has exactly the expected path, trust, tags, boundary and time-bounded policy', async () => {
    const { requestId, grant } = await approve();
    await h.runner.runDue();
    const notAfter = grant.notAfter.toISOString();
    const role = (await roleOf(grant)).Role;
    assert.ok(role);
    assert.equal(role.Path, '/iam-jit/');
    assert.equal(role.RoleName, `iam-jit-${grant.id}`);
    assert.equal(role.MaxSessionDuration, 3600);
    assert.equal(
      role.PermissionsBoundary?.PermissionsBoundaryArn,
      `arn:aws:iam::${SPOKE}:policy/${BOUNDARY}`,
    );
    assert.deepEqual(decode(role.AssumeRolePolicyDocument), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'IamJitVending',
          Effect: 'Allow',
          Principal: { AWS: BROKER_ARN },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: {
            DateLessThan: { 'aws:CurrentTime': notAfter },
            StringEquals: { 'sts:SourceIdentity': 'email+alice@example.com' },
          },
        },
      ],
    });
    const tags =
      (await h.spokeAdmin.iam.send(new ListRoleTagsCommand({ RoleName: grant.roleName }))).Tags ?? [];
    assert.deepEqual(Object.fromEntries(tags.map((t) => [t.Key, t.Value])), {
      'managed-by': 'iam-jit',
      'iam-jit:grant-id': grant.id,
      'iam-jit:request-id': requestId,
      'iam-jit:requester': alice.id,
      'iam-jit:approver': bob.id,
      'iam-jit:expires-at': notAfter,
    });
    const inline = await h.spokeAdmin.iam.send(
      new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }),
    );
    // The requester's 2099 aws:CurrentTime is replaced by the grant's not_after.
    assert.deepEqual(decode(inline.PolicyDocument), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'List',
          Effect: 'Allow',
          Action: 'iam:ListRoles',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': notAfter } },
        },
      ],
    });
  });

  test('vended credentials: 1 h, allowed action works, another is denied; expiry removes the role and them', async () => {
    const { requestId, grant } = await approve();
    await h.runner.runDue();
    const creds = await h.grants.credentials(alice, grant.id);
    assert.equal(creds.Version, 1);
    assert.equal(new Date(creds.Expiration).getTime(), h.clock.now().getTime() + HOUR);
    const user = sdkClients(h.aws.url, {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    });
    assert.ok((await user.iam.send(new ListRolesCommand({}))).Roles);
    await assert.rejects(
      user.iam.send(new GetRoleCommand({ RoleName: grant.roleName })),
      failsWith('AccessDenied'),
    );

    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'expired');
    await assert.rejects(roleOf(grant), failsWith('NoSuchEntityException'));
    await assert.rejects(user.iam.send(new ListRolesCommand({})));
    assert.deepEqual(await h.auditActions(grant.id), [
      'grant.created',
      'grant.activated',
      'grant.credentials_issued',
      'grant.expired',
    ]);
  });

  test('credentials: requester only, capped at the remaining time, refused under 900 s with a message', async () => {
    const { grant } = await approve(1);
    await h.runner.runDue();
    await assert.rejects(h.grants.credentials(bob, grant.id), (e) => isBrokerError(e, 'NotRequester'));
    await assert.rejects(h.grants.credentials(eve, grant.id), (e) => isBrokerError(e, 'NotFound'));
    h.clock.advance(40 * MINUTE);
    const creds = await h.grants.credentials(alice, grant.id);
    assert.equal(new Date(creds.Expiration).getTime(), grant.notAfter.getTime());
    h.clock.advance(6 * MINUTE);
    await assert.rejects(h.grants.credentials(alice, grant.id), (e) => {
      assert.ok(isBrokerError(e, 'GrantEndingSoon'));
      assert.match(e.message, /only 840 s of the grant remain.*at least 900 s/);
      return true;
    });
  });

  test('console URL: a federation sign-in link for a fresh session of the grant role, requester only', async () => {
    const { grant } = await approve();
    await h.runner.runDue();
    const { url, expiration } = await h.grants.consoleUrl(alice, grant.id);
    const u = new URL(url);
    assert.equal(`${u.origin}${u.pathname}`, 'https://signin.test/federation');
    assert.equal(u.searchParams.get('Action'), 'login');
    assert.equal(u.searchParams.get('Issuer'), 'https://iam-jit.test');
    assert.equal(u.searchParams.get('Destination'), 'https://console.aws.amazon.com/');
    assert.match(u.searchParams.get('SigninToken') ?? '', /^token-for-ASIA/);
    assert.equal(expiration.getTime(), h.clock.now().getTime() + HOUR);
    await assert.rejects(h.grants.consoleUrl(bob, grant.id), (e) => isBrokerError(e, 'NotRequester'));
    assert.ok((await h.auditActions(grant.id)).includes('grant.console_url_issued'));
  });

  test('extend: an approver moves not_after; the role is rewritten and expiry follows the new time', async () => {
    const { grant } = await approve();
    await h.runner.runDue();
    await assert.rejects(h.grants.extend(alice, grant.id, { hours: 1, reason: 'more' }), (e) =>
      isBrokerError(e, 'SelfApproval'),
    );
    await assert.rejects(h.grants.extend(bob, grant.id, { hours: 11, reason: 'much more' }), (e) =>
      isBrokerError(e, 'DurationExceedsMax'),
    );
    await assert.rejects(h.grants.extend(bob, grant.id, { hours: 1 }), (e) =>
      isBrokerError(e, 'InvalidInput'),
    );
    const extended = await h.grants.extend(bob, grant.id, { hours: 1, reason: 'migration overran' });
    const notAfter = new Date(grant.notAfter.getTime() + HOUR);
    assert.equal(extended.notAfter.getTime(), notAfter.getTime());
    await h.runner.runDue();
    const inline = await h.spokeAdmin.iam.send(
      new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }),
    );
    assert.match(JSON.stringify(decode(inline.PolicyDocument)), new RegExp(notAfter.toISOString()));
    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    h.clock.advance(HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.ok((await h.auditActions(grant.id)).includes('grant.extended'));
  });

  test('early revoke by the requester: reason required, audited, role and sessions gone', async () => {
    const { requestId, grant } = await approve();
    await h.runner.runDue();
    const creds = await h.grants.credentials(alice, grant.id);
    const user = sdkClients(h.aws.url, {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    });
    await assert.rejects(h.grants.revoke(alice, grant.id, { reason: ' ' }), (e) =>
      isBrokerError(e, 'InvalidInput'),
    );
    await assert.rejects(h.grants.revoke(eve, grant.id, { reason: 'x' }), (e) =>
      isBrokerError(e, 'NotFound'),
    );
    const revoking = await h.grants.revoke(alice, grant.id, { reason: 'done early' });
    assert.equal(revoking.status, 'revoking');
    await h.runner.runDue();
    const ended = await h.grants.get(bob, grant.id);
    assert.equal(ended.status, 'revoked');
    assert.equal(ended.revokeReason, 'done early');
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'revoked');
    await assert.rejects(roleOf(grant), failsWith('NoSuchEntityException'));
    await assert.rejects(user.iam.send(new ListRolesCommand({})));
    await assert.rejects(h.grants.revoke(alice, grant.id, { reason: 'again' }), (e) =>
      isBrokerError(e, 'IllegalTransition'),
    );
    assert.ok((await h.auditActions(grant.id)).includes('grant.revoke_requested'));
  });

  test('expiry also removes policies someone added to the role (drift)', async () => {
    const { grant } = await approve();
    await h.runner.runDue();
    await h.spokeAdmin.iam.send(
      new PutRolePolicyCommand({
        RoleName: grant.roleName,
        PolicyName: 'added-by-hand',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }],
        }),
      }),
    );
    h.clock.advance(2 * HOUR);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    await assert.rejects(roleOf(grant), failsWith('NoSuchEntityException'));
  });

  test('throttling during provisioning is retried and succeeds', async () => {
    const { grant } = await approve();
    h.aws.faults.throttle('CreateRole', 2);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    assert.ok((await roleOf(grant)).Role);
  });

  test('a run that dies after CreateRole leaves no orphan: the retry converges the same role', async () => {
    const { grant } = await approve();
    h.aws.faults.fail('PutRolePolicy', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    const inline = await h.spokeAdmin.iam.send(
      new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }),
    );
    assert.ok(inline.PolicyDocument);
    const listed = await h.spokeAdmin.iam.send(new ListRolesCommand({ PathPrefix: '/iam-jit/' }));
    assert.deepEqual(
      listed.Roles?.map((r) => r.RoleName),
      [grant.roleName],
    );
  });

  test('killed between CreateRole and the database commit: after the retry, one role and an active grant', async () => {
    const { grant } = await approve();
    h.crashNextCommit();
    await h.runner.runDue();
    const job = await createJobQueue(ctx.database.db, { clock: h.clock }).get({
      dedupeKey: `provision:${grant.id}`,
    });
    assert.equal(
      job?.attempts,
      2,
      'the first run created the role and lost its commit; the second converged',
    );
    const after = await h.grants.get(alice, grant.id);
    assert.equal(after.status, 'active');
    assert.equal(after.roleArn, `arn:aws:iam::${SPOKE}:role/iam-jit/${grant.roleName}`);
    const listed = await h.spokeAdmin.iam.send(new ListRolesCommand({ PathPrefix: '/iam-jit/' }));
    assert.deepEqual(
      listed.Roles?.map((r) => r.RoleName),
      [grant.roleName],
    );
    assert.equal((await h.auditActions(grant.id)).filter((a) => a === 'grant.activated').length, 1);
  });

  test('AWS failing at expiry: the grant stays revoking with an alert, and ends once AWS is back', async () => {
    const { grant } = await approve();
    await h.runner.runDue();
    h.aws.faults.fail('*', { code: 'ServiceUnavailable', message: 'down', status: 503 }, 3);
    h.clock.advance(2 * HOUR);
    // random() = 0 makes every retry due at once, so runDue keeps going until the outage (3 failed calls) is over.
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
    assert.ok(h.alerts.length >= 1);
    assert.equal(h.alerts[0]?.kind, 'grant.revocation_failed');
    assert.ok((await h.auditActions(grant.id)).includes('alert.grant_revocation_failed'));
    await assert.rejects(roleOf(grant), failsWith('NoSuchEntityException'));
  });

  test('AWS paused at expiry: revoking while paused, expired after resume', async () => {
    const { grant } = await approve();
    await h.runner.runDue();
    h.aws.faults.pause();
    h.clock.advance(2 * HOUR);
    const running = h.runner.runDue();
    let seen = '';
    for (let i = 0; i < 1000 && seen !== 'revoking'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      seen = (await h.grants.get(alice, grant.id)).status;
    }
    assert.equal(seen, 'revoking');
    h.aws.faults.resume();
    await running;
    assert.equal((await h.grants.get(alice, grant.id)).status, 'expired');
  });
});
