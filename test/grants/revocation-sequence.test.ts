// The AWS adapter's revocation (src/aws/grant-aws.ts deleteRole) against the emulator: the deny of older sessions
// replaces the approved policy first, so a failure after that write leaves a role that allows nothing and denies
// every session issued before the revocation (IAM User Guide, "Revoke IAM role temporary security credentials");
// the retry then removes the policy and the role.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { GRANT_POLICY_NAME } from '../../src/grants/grant.ts';
import { createFakeClock } from '../../src/lib/clock.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { sdkClients, trustPolicyFor } from '../../src/local-aws/testing.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from './harness.ts';

const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const target = { accountId: SPOKE, spokeRoleArn: SPOKE_ROLE_ARN, externalId: EXTERNAL_ID };
const ROLE = 'iam-jit-grt_sequence';
let aws: LocalAws;
let admin: ReturnType<typeof sdkClients>;

before(async () => {
  aws = await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() });
  admin = sdkClients(aws.url, {
    accessKeyId: `AKIA${SPOKE}ROOT`,
    secretAccessKey: `local-aws-root-secret-${SPOKE}`,
  });
});
after(() => aws.close());

async function roleExists(): Promise<boolean> {
  try {
    await admin.iam.send(new GetRoleCommand({ RoleName: ROLE }));
    return true;
  } catch (e) {
    if (e instanceof NoSuchEntityException) return false;
    throw e;
  }
}

test('a failure after the deny leaves no access for earlier sessions; the retry removes policy and role', async () => {
  await admin.iam.send(
    new CreateRoleCommand({
      RoleName: ROLE,
      Path: '/iam-jit/',
      AssumeRolePolicyDocument: trustPolicyFor(BROKER_ARN),
      PermissionsBoundary: `arn:aws:iam::${SPOKE}:policy/${BOUNDARY}`,
      Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
    }),
  );
  await admin.iam.send(
    new PutRolePolicyCommand({
      RoleName: ROLE,
      PolicyName: GRANT_POLICY_NAME,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
      }),
    }),
  );
  const out = await sdkClients(aws.url, HUB_CREDENTIALS).sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${SPOKE}:role/iam-jit/${ROLE}`,
      RoleSessionName: 'alice',
    }),
  );
  const session = new IAMClient({
    endpoint: aws.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: out.Credentials?.AccessKeyId ?? '',
      secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
      sessionToken: out.Credentials?.SessionToken ?? '',
    },
  });
  await session.send(new ListRolesCommand({}));

  clock.advance(1000);
  const port = createGrantAws({
    endpoint: aws.url,
    hubCredentials: HUB_CREDENTIALS,
    maxAttempts: 1,
    now: () => clock.now(),
  });
  aws.faults.fail('DeleteRolePolicy', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
  await assert.rejects(port.deleteRole(target, ROLE, clock.now()), /boom/);

  assert.equal(await roleExists(), true);
  const policy = await admin.iam.send(
    new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: GRANT_POLICY_NAME }),
  );
  const document = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '')) as {
    Statement: { Effect: string; Condition?: unknown }[];
  };
  assert.deepEqual(
    document.Statement.map((s) => [s.Effect, s.Condition]),
    [['Deny', { DateLessThan: { 'aws:TokenIssueTime': clock.now().toISOString() } }]],
  );
  await assert.rejects(session.send(new ListRolesCommand({})), { name: 'AccessDenied' });

  await port.deleteRole(target, ROLE, clock.now());
  assert.equal(await roleExists(), false);
});
