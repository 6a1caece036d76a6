// The iam_role provisioning flow end to end against moto_server as the second AWS target (both dialects): approve
// over the API → the job creates the role with exactly the expected trust, tags, boundary, session length and
// time-bounded policy (a requester's 2099 aws:CurrentTime overridden) → credentials vended → revoke → the role is
// gone; and expiry at not_after removes it too. moto evaluates no policies, so the AWS state is asserted, not
// AccessDenied (the emulator suites cover enforcement). Skipped when moto_server is not on PATH; fails under CI.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { spokeTrustPolicy } from '../../src/aws/bootstrap-policies.ts';
import { grantTrustPolicy, timeBoundPolicy } from '../../src/grants/grant.ts';
import { HOUR } from '../../src/lib/clock.ts';
import { skipWithout } from '../local-aws/on-path.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type AppHarness, type AwsTarget, startAppHarness } from './app-harness.ts';
import { EXTERNAL_ID } from './harness.ts';
import { type Moto, motoPath, startMoto } from './moto.ts';

const ACCOUNT = '123456789012';
const BROKER = `arn:aws:iam::${ACCOUNT}:user/broker`;
const KEYS = { accessKeyId: 'AKIAMOTOTESTKEY00000', secretAccessKey: 'moto-secret' };
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:ListRoles',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } },
    },
  ],
};

let moto: Moto | undefined;
before(async () => {
  if (motoPath === undefined) return;
  moto = await startMoto(motoPath);
  const admin = (await import('../../src/local-aws/testing.ts')).sdkClients(moto.url, KEYS);
  await admin.iam.send(
    new CreateRoleCommand({
      RoleName: 'iam-jit-provisioner',
      AssumeRolePolicyDocument: JSON.stringify(spokeTrustPolicy(BROKER, EXTERNAL_ID)),
    }),
  );
  await admin.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'iam-jit-boundary',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }],
      }),
    }),
  );
});
after(() => moto?.stop());

forEachDialect('grants on moto_server', (ctx) => {
  let h: AppHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function start(t: Parameters<typeof skipWithout>[0]): Promise<AppHarness | undefined> {
    if (skipWithout(t, 'moto_server', motoPath) || moto === undefined) return undefined;
    await ctx.reset();
    const target: AwsTarget = {
      url: moto.url,
      accountId: ACCOUNT,
      hubCredentials: KEYS,
      adminCredentials: KEYS,
      brokerArn: BROKER,
    };
    h = await startAppHarness(ctx, { target });
    return h;
  }

  test('approve → exact role → credentials → revoke → role gone', async (t) => {
    const a = await start(t);
    if (a === undefined) return;
    const { requestId, grant } = await a.grantFor({
      justification: 'debug',
      duration_hours: 2,
      policy: POLICY,
    });
    assert.equal(grant.status, 'active');
    const roleName = grant.role_name as string;
    const notAfter = new Date(grant.not_after as string);
    assert.equal(grant.role_arn, `arn:aws:iam::${ACCOUNT}:role/iam-jit/${roleName}`);
    const iam = a.spokeAdmin.iam;
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    assert.equal(role?.Path, '/iam-jit/');
    assert.equal(role?.MaxSessionDuration, 3600);
    assert.equal(
      role?.PermissionsBoundary?.PermissionsBoundaryArn,
      `arn:aws:iam::${ACCOUNT}:policy/iam-jit-boundary`,
    );
    assert.deepEqual(
      JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '')),
      grantTrustPolicy({ vendingPrincipalArn: BROKER, requesterId: a.users.alice.user.id, notAfter }),
    );
    const tags = (await iam.send(new ListRoleTagsCommand({ RoleName: roleName }))).Tags ?? [];
    assert.deepEqual(Object.fromEntries(tags.map((x) => [x.Key, x.Value])), {
      'managed-by': 'iam-jit',
      'iam-jit:grant-id': grant.id,
      'iam-jit:request-id': requestId,
      'iam-jit:requester': 'email:alice@example.com',
      'iam-jit:approver': 'email:bob@example.com',
      'iam-jit:expires-at': notAfter.toISOString(),
    });
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames, [
      'iam-jit-grant',
    ]);
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'iam-jit-grant' }),
    );
    const doc = JSON.parse(decodeURIComponent(inline.PolicyDocument ?? ''));
    assert.deepEqual(doc, timeBoundPolicy(POLICY, notAfter));
    assert.doesNotMatch(JSON.stringify(doc), /2099/);

    const creds = await a.call('GET', `/api/v1/grants/${grant.id as string}/credentials`, a.users.alice);
    assert.equal(creds.status, 200, JSON.stringify(creds.body));
    assert.match(String(creds.body.AccessKeyId), /^ASIA/);

    const revoked = await a.call('POST', `/api/v1/grants/${grant.id as string}/revoke`, a.users.bob, {
      reason: 'done',
    });
    assert.equal(revoked.status, 202);
    await a.runDue();
    assert.equal(
      (await a.call('GET', `/api/v1/grants/${grant.id as string}`, a.users.alice)).body.status,
      'revoked',
    );
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: roleName })), {
      name: 'NoSuchEntityException',
    });
    await assert.rejects(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })), {
      name: 'NoSuchEntityException',
    });
  });

  test('expiry at not_after removes the role', async (t) => {
    const a = await start(t);
    if (a === undefined) return;
    const { grant } = await a.grantFor({ justification: 'debug', duration_hours: 1, policy: POLICY });
    const roleName = grant.role_name as string;
    assert.ok((await a.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role);
    a.clock.advance(HOUR);
    await a.runDue();
    assert.equal(
      (await a.call('GET', `/api/v1/grants/${grant.id as string}`, a.users.alice)).body.status,
      'expired',
    );
    await assert.rejects(a.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: roleName })), {
      name: 'NoSuchEntityException',
    });
  });
});
