// Expected behaviour from the STS API Reference (AssumeRole: DurationSeconds, ExternalId, Policy, Tags,
// SourceIdentity; GetCallerIdentity), the IAM User Guide ("Revoking IAM role temporary security credentials":
// a Deny with DateLessThan aws:TokenIssueTime; "Policy evaluation logic": boundary and session policies
// limit a session) and the AWS Common Errors page (ExpiredToken).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createState, defaultRootCredentials } from './seed.ts';
import { type LocalAws, startLocalAws } from './server.ts';
import { sdkClients, type TestCredentials, trustPolicyFor } from './testing.ts';

const A = '111111111111';
const B = '222222222222';
const userA = { accessKeyId: 'AKIAUSERAAAAAAAAAAAA', secretAccessKey: 'secret-a' };
const userB = { accessKeyId: 'AKIAUSERBBBBBBBBBBBB', secretAccessKey: 'secret-b' };
let clock = new Date('2026-06-01T12:00:00Z');
let aws: LocalAws;
const admin = () => sdkClients(aws.url, defaultRootCredentials(A));
const allow = (actions: string[], effect = 'Allow', extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Action: actions, Resource: '*', ...extra }],
  });

before(async () => {
  aws = await startLocalAws({
    now: () => clock,
    state: createState({
      accounts: [
        { id: A, users: [{ name: 'alice', ...userA }] },
        { id: B, users: [{ name: 'bob', ...userB }] },
      ],
    }),
  });
  const { iam } = admin();
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'app',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/alice`, 'ext-123'),
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'blue' }],
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'app',
      PolicyName: 'read',
      PolicyDocument: allow(['iam:Get*', 'iam:List*']),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'partner',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${B}:root`),
    }),
  );
});
after(async () => {
  await aws.close();
});

async function assume(
  creds: TestCredentials,
  input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {},
) {
  const out = await sdkClients(aws.url, creds).sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${A}:role/app`,
      RoleSessionName: 'alice-s',
      ExternalId: 'ext-123',
      ...input,
    }),
  );
  const c = out.Credentials;
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  return {
    out,
    creds: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
  };
}

test('AssumeRole with the external id returns credentials that identify the session', async () => {
  const { out, creds } = await assume(userA, { DurationSeconds: 900 });
  assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA/);
  assert.equal(out.Credentials?.Expiration?.toISOString(), '2026-06-01T12:15:00.000Z');
  assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/app/alice-s`);
  const me = await sdkClients(aws.url, creds).sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:sts::${A}:assumed-role/app/alice-s`);
  assert.equal(me.Account, A);
  assert.match(me.UserId ?? '', /^AROA[A-Z2-7]{17}:alice-s$/);
});

test('AssumeRole without or with the wrong external id is AccessDenied', async () => {
  for (const ExternalId of [undefined, 'wrong-id']) {
    await assert.rejects(
      assume(userA, { ExternalId }),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.match(
          e.message,
          /^User: arn:aws:iam::111111111111:user\/alice is not authorized to perform: sts:AssumeRole/,
        );
        return true;
      },
    );
  }
});

test('root cannot assume roles; DurationSeconds above MaxSessionDuration is ValidationError', async () => {
  await assert.rejects(assume(defaultRootCredentials(A)), {
    name: 'AccessDenied',
    message: 'Roles may not be assumed by root accounts.',
  });
  await assert.rejects(assume(userA, { DurationSeconds: 7201 }), { name: 'ValidationError' });
  await assert.rejects(assume(userA, { RoleArn: `arn:aws:iam::${A}:role/missing` }), {
    name: 'AccessDenied',
  });
});

test('cross-account: a user of the trusted account may assume the role', async () => {
  const { creds } = await assume(userB, { RoleArn: `arn:aws:iam::${A}:role/partner`, ExternalId: undefined });
  const me = await sdkClients(aws.url, creds).sts.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:sts::${A}:assumed-role/partner/alice-s`);
});

test('session credentials are authorised by the role policy: allowed reads, AccessDenied writes', async () => {
  const { creds } = await assume(userA);
  const { iam } = sdkClients(aws.url, creds);
  assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'app' }))).Role?.RoleName, 'app');
  await assert.rejects(
    iam.send(
      new CreateRoleCommand({
        RoleName: 'x',
        AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:root`),
      }),
    ),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.equal(
        e.message,
        `User: arn:aws:sts::${A}:assumed-role/app/alice-s is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${A}:role/x because no identity-based policy allows the iam:CreateRole action`,
      );
      return true;
    },
  );
});

test('a session policy narrows the session', async () => {
  const { creds } = await assume(userA, { Policy: allow(['iam:ListRoles']) });
  const { iam } = sdkClients(aws.url, creds);
  await iam.send(new ListRolesCommand({}));
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'app' })), {
    name: 'AccessDenied',
    message: /because no session policy allows the iam:GetRole action$/,
  });
});

test('session tags and role tags are visible to aws:PrincipalTag conditions', async () => {
  const { creds } = await assume(userA, { Tags: [{ Key: 'stage', Value: 'dev' }] });
  const { iam } = admin();
  const cond = {
    Condition: { StringEquals: { 'aws:PrincipalTag/stage': 'prod', 'aws:PrincipalTag/team': 'blue' } },
  };
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'app',
      PolicyName: 'tagged',
      PolicyDocument: allow(['iam:CreatePolicy'], 'Allow', cond),
    }),
  );
  await assert.rejects(
    sdkClients(aws.url, creds).iam.send(
      new CreatePolicyCommand({ PolicyName: 'tp', PolicyDocument: allow(['s3:*']) }),
    ),
    { name: 'AccessDenied' },
  );
  const prod = await assume(userA, { Tags: [{ Key: 'stage', Value: 'prod' }] });
  await sdkClients(aws.url, prod.creds).iam.send(
    new CreatePolicyCommand({ PolicyName: 'tp', PolicyDocument: allow(['s3:*']) }),
  );
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'tagged' }));
});

test('a permissions boundary limits the session', async () => {
  const { iam } = admin();
  const pb = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'only-list', PolicyDocument: allow(['iam:ListRoles']) }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'bounded',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/alice`),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'bounded', PolicyName: 'all', PolicyDocument: allow(['iam:*']) }),
  );
  await iam.send(
    new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: pb.Policy?.Arn }),
  );
  const { creds } = await assume(userA, { RoleArn: `arn:aws:iam::${A}:role/bounded`, ExternalId: undefined });
  await sdkClients(aws.url, creds).iam.send(new ListRolesCommand({}));
  await assert.rejects(sdkClients(aws.url, creds).iam.send(new GetRoleCommand({ RoleName: 'app' })), {
    name: 'AccessDenied',
    message: /because no permissions boundary allows the iam:GetRole action$/,
  });
});

test('an aws:TokenIssueTime deny revokes older sessions only', async () => {
  const old = await assume(userA);
  clock = new Date(clock.getTime() + 60_000);
  const revokeBefore = clock.toISOString();
  const revoke = allow(['*'], 'Deny', {
    Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeBefore } },
  });
  await admin().iam.send(
    new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'revoke', PolicyDocument: revoke }),
  );
  await assert.rejects(sdkClients(aws.url, old.creds).iam.send(new GetRoleCommand({ RoleName: 'app' })), {
    name: 'AccessDenied',
    message: /with an explicit deny in an identity-based policy$/,
  });
  clock = new Date(clock.getTime() + 1000);
  const fresh = await assume(userA);
  await sdkClients(aws.url, fresh.creds).iam.send(new GetRoleCommand({ RoleName: 'app' }));
  await admin().iam.send(new DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'revoke' }));
});

test('expired session credentials are ExpiredToken', async () => {
  const { creds } = await assume(userA, { DurationSeconds: 900 });
  clock = new Date(clock.getTime() + 901_000);
  await assert.rejects(
    sdkClients(aws.url, creds).sts.send(new GetCallerIdentityCommand({})),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ExpiredToken');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      return true;
    },
  );
  // The JSON 1.1 services name the same failure ExpiredTokenException.
  await assert.rejects(sdkClients(aws.url, creds).sso.send(new ListInstancesCommand({})), {
    name: 'ExpiredTokenException',
  });
});

test('deleting the role stops its sessions, even if a role of the same name is re-created', async () => {
  const { iam } = admin();
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'temp',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/alice`),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'temp', PolicyName: 'p', PolicyDocument: allow(['iam:*']) }),
  );
  const { creds } = await assume(userA, { RoleArn: `arn:aws:iam::${A}:role/temp`, ExternalId: undefined });
  await sdkClients(aws.url, creds).iam.send(new ListRolesCommand({}));
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'temp', PolicyName: 'p' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'temp' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'temp',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/alice`),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'temp', PolicyName: 'p', PolicyDocument: allow(['iam:*']) }),
  );
  await assert.rejects(sdkClients(aws.url, creds).iam.send(new ListRolesCommand({})), {
    name: 'AccessDenied',
  });
});

test('a session token that does not match the key is InvalidClientTokenId', async () => {
  const { creds } = await assume(userA);
  await assert.rejects(
    sdkClients(aws.url, { ...creds, sessionToken: 'forged' }).sts.send(new GetCallerIdentityCommand({})),
    { name: 'InvalidClientTokenId' },
  );
});

test('aws:CurrentTime in the trust policy is evaluated against the emulator clock', async () => {
  const { iam } = admin();
  const until = new Date(clock.getTime() + 3_600_000).toISOString();
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:user/alice` },
        Action: 'sts:AssumeRole',
        Condition: { DateLessThan: { 'aws:CurrentTime': until } },
      },
    ],
  });
  await iam.send(new CreateRoleCommand({ RoleName: 'window', AssumeRolePolicyDocument: trust }));
  const roleArn = `arn:aws:iam::${A}:role/window`;
  await assume(userA, { RoleArn: roleArn, ExternalId: undefined });
  clock = new Date(clock.getTime() + 3_600_001);
  await assert.rejects(assume(userA, { RoleArn: roleArn, ExternalId: undefined }), { name: 'AccessDenied' });
});

test('SourceIdentity needs sts:SetSourceIdentity, is returned, and carries over to chained sessions', async () => {
  const { out, creds } = await assume(userA, { SourceIdentity: 'alice@example.com' });
  assert.equal(out.SourceIdentity, 'alice@example.com');
  const session = aws.state.sessions[creds.accessKeyId];
  assert.equal(session?.sourceIdentity, 'alice@example.com');
  const { iam } = admin();
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'no-source',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  await assert.rejects(
    assume(userA, {
      RoleArn: `arn:aws:iam::${A}:role/no-source`,
      ExternalId: undefined,
      SourceIdentity: 'x-y',
    }),
    { name: 'AccessDenied' },
  );
});

test('role chaining: a session needs sts:AssumeRole in its own policy and at most one hour', async () => {
  const { iam } = admin();
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'next',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:role/app`),
    }),
  );
  const first = await assume(userA);
  const sts = sdkClients(aws.url, first.creds).sts;
  const input = { RoleArn: `arn:aws:iam::${A}:role/next`, RoleSessionName: 'chained' };
  // The trust policy names the role: that stands in for the identity policy but not for the 1-hour limit.
  await assert.rejects(sts.send(new AssumeRoleCommand({ ...input, DurationSeconds: 3601 })), {
    name: 'ValidationError',
  });
  const chained = await sts.send(new AssumeRoleCommand(input));
  assert.equal(chained.AssumedRoleUser?.Arn, `arn:aws:sts::${A}:assumed-role/next/chained`);
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'next-acct',
      AssumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:root`),
    }),
  );
  // Naming only the account delegates to the session's identity policies, which do not allow sts:AssumeRole.
  await assert.rejects(
    sts.send(new AssumeRoleCommand({ ...input, RoleArn: `arn:aws:iam::${A}:role/next-acct` })),
    {
      name: 'AccessDenied',
    },
  );
});
