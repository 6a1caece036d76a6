// Drives the real AWS CLI (`aws` on PATH) against the emulator with --endpoint-url and throwaway config files:
// the emulator must speak the wire protocols well enough for botocore, not just for the JS SDK.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createState } from '../../src/local-aws/seed.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/server.ts';
import { findOnPath, skipWithout } from './on-path.ts';

const run = promisify(execFile);
const AWS_CLI = findOnPath('aws');
const ACCOUNT = '123456789012';
const ADMIN = { accessKeyId: 'AKIACLITESTADMIN0001', secretAccessKey: 'cli-admin-secret' };
let aws: LocalAws;
let dir = '';
let env: NodeJS.ProcessEnv = {};

before(async () => {
  aws = await startLocalAws({
    state: createState({
      accounts: [
        {
          id: ACCOUNT,
          users: [{ name: 'admin', ...ADMIN }],
          identityCenter: {
            identityStoreId: 'd-9067000000',
            users: [{ userName: 'alice', displayName: 'Alice' }],
          },
        },
      ],
    }),
  });
  dir = await mkdtemp(join(tmpdir(), 'local-aws-cli-'));
  await writeFile(
    join(dir, 'config'),
    '[default]\nregion = us-east-1\noutput = json\n[profile assumed]\nregion = us-east-1\noutput = json\n',
  );
  await writeFile(
    join(dir, 'credentials'),
    `[default]\naws_access_key_id = ${ADMIN.accessKeyId}\naws_secret_access_key = ${ADMIN.secretAccessKey}\n`,
  );
  // Only what the CLI needs: no inherited AWS_* variables may leak real credentials or endpoints in.
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
  for (const key of ['PYENV_ROOT', 'PYENV_VERSION', 'LANG'])
    if (process.env[key]) env[key] = process.env[key];
});

after(async () => {
  await aws.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `aws <args> --endpoint-url <emulator>` and parses its JSON output (empty output → undefined). */
async function cli(args: string[], profile?: string): Promise<Record<string, unknown> | undefined> {
  const full = [...args, '--endpoint-url', aws.url, ...(profile ? ['--profile', profile] : [])];
  const { stdout } = await run(AWS_CLI ?? 'aws', full, { env, timeout: 60_000 });
  return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as Record<string, unknown>);
}

/** Runs a command expected to fail; resolves to its stderr. */
async function cliError(args: string[]): Promise<string> {
  try {
    await run('aws', [...args, '--endpoint-url', aws.url], { env, timeout: 60_000 });
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error(`aws ${args.join(' ')} unexpectedly succeeded`);
}

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'cli-ext-1' } },
    },
  ],
});
const readPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:ListRoles'], Resource: '*' }],
});

test('aws iam: create, get, list, tag and untag a role', async (t) => {
  if (skipWithout(t, 'aws (AWS CLI)', AWS_CLI)) return;
  const created = (await cli([
    'iam',
    'create-role',
    '--role-name',
    'cli-role',
    '--path',
    '/cli/',
    '--assume-role-policy-document',
    trust,
    '--tags',
    'Key=owner,Value=alice',
  ])) as { Role: { Arn: string; RoleId: string } };
  assert.equal(created.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/cli/cli-role`);
  const got = (await cli(['iam', 'get-role', '--role-name', 'cli-role'])) as {
    Role: { AssumeRolePolicyDocument: unknown; Tags: unknown; MaxSessionDuration: number };
  };
  // botocore URL-decodes and parses the policy document, so the CLI prints it as an object.
  assert.deepEqual(got.Role.AssumeRolePolicyDocument, JSON.parse(trust));
  assert.deepEqual(got.Role.Tags, [{ Key: 'owner', Value: 'alice' }]);
  assert.equal(got.Role.MaxSessionDuration, 3600);
  const listed = (await cli(['iam', 'list-roles', '--path-prefix', '/cli/'])) as {
    Roles: Array<{ RoleName: string }>;
  };
  assert.deepEqual(
    listed.Roles.map((r) => r.RoleName),
    ['cli-role'],
  );
  await cli(['iam', 'tag-role', '--role-name', 'cli-role', '--tags', 'Key=env,Value=dev']);
  await cli(['iam', 'untag-role', '--role-name', 'cli-role', '--tag-keys', 'owner']);
  const tags = (await cli(['iam', 'list-role-tags', '--role-name', 'cli-role'])) as { Tags: unknown };
  assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'dev' }]);
});

test('aws iam: put, get and list an inline role policy', async (t) => {
  if (skipWithout(t, 'aws (AWS CLI)', AWS_CLI)) return;
  await cli([
    'iam',
    'put-role-policy',
    '--role-name',
    'cli-role',
    '--policy-name',
    'read',
    '--policy-document',
    readPolicy,
  ]);
  const got = (await cli(['iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'read'])) as {
    PolicyDocument: unknown;
  };
  assert.deepEqual(got.PolicyDocument, JSON.parse(readPolicy));
  const names = (await cli(['iam', 'list-role-policies', '--role-name', 'cli-role'])) as {
    PolicyNames: string[];
  };
  assert.deepEqual(names.PolicyNames, ['read']);
});

test('aws sts: assume-role with an external id, then get-caller-identity with the assumed credentials', async (t) => {
  if (skipWithout(t, 'aws (AWS CLI)', AWS_CLI)) return;
  const denied = await cliError([
    'sts',
    'assume-role',
    '--role-arn',
    `arn:aws:iam::${ACCOUNT}:role/cli/cli-role`,
    '--role-session-name',
    'no-ext',
  ]);
  assert.match(denied, /AccessDenied/);
  const assumed = (await cli([
    'sts',
    'assume-role',
    '--role-arn',
    `arn:aws:iam::${ACCOUNT}:role/cli/cli-role`,
    '--role-session-name',
    'cli-session',
    '--external-id',
    'cli-ext-1',
  ])) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
  const c = assumed.Credentials;
  await writeFile(
    join(dir, 'credentials'),
    `[default]\naws_access_key_id = ${ADMIN.accessKeyId}\naws_secret_access_key = ${ADMIN.secretAccessKey}\n` +
      `[assumed]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\n` +
      `aws_session_token = ${c.SessionToken}\n`,
  );
  const me = (await cli(['sts', 'get-caller-identity'], 'assumed')) as { Arn: string; Account: string };
  assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/cli-role/cli-session`);
  assert.equal(me.Account, ACCOUNT);
  const role = (await cli(['iam', 'get-role', '--role-name', 'cli-role'], 'assumed')) as {
    Role: { RoleName: string };
  };
  assert.equal(role.Role.RoleName, 'cli-role');
  try {
    await run(
      'aws',
      ['iam', 'delete-role', '--role-name', 'cli-role', '--endpoint-url', aws.url, '--profile', 'assumed'],
      { env },
    );
    assert.fail('the session must not be allowed to delete the role');
  } catch (e) {
    assert.match(String((e as { stderr?: string }).stderr), /AccessDenied.*iam:DeleteRole/);
  }
});

test('aws sso-admin and identitystore: create a permission set, assign it, list account assignments', async (t) => {
  if (skipWithout(t, 'aws (AWS CLI)', AWS_CLI)) return;
  const instances = (await cli(['sso-admin', 'list-instances'])) as {
    Instances: Array<{ InstanceArn: string; IdentityStoreId: string }>;
  };
  const instance = instances.Instances[0];
  assert.ok(instance);
  const users = (await cli([
    'identitystore',
    'list-users',
    '--identity-store-id',
    instance.IdentityStoreId,
    '--filters',
    'AttributePath=UserName,AttributeValue=alice',
  ])) as { Users: Array<{ UserId: string; UserName: string }> };
  assert.equal(users.Users[0]?.UserName, 'alice');
  const userId = users.Users[0]?.UserId ?? '';
  const ps = (await cli([
    'sso-admin',
    'create-permission-set',
    '--instance-arn',
    instance.InstanceArn,
    '--name',
    'cli-ps',
  ])) as { PermissionSet: { PermissionSetArn: string } };
  const psArn = ps.PermissionSet.PermissionSetArn;
  const created = (await cli([
    'sso-admin',
    'create-account-assignment',
    '--instance-arn',
    instance.InstanceArn,
    '--target-id',
    ACCOUNT,
    '--target-type',
    'AWS_ACCOUNT',
    '--permission-set-arn',
    psArn,
    '--principal-type',
    'USER',
    '--principal-id',
    userId,
  ])) as { AccountAssignmentCreationStatus: { Status: string; RequestId: string } };
  assert.equal(created.AccountAssignmentCreationStatus.Status, 'IN_PROGRESS');
  const status = (await cli([
    'sso-admin',
    'describe-account-assignment-creation-status',
    '--instance-arn',
    instance.InstanceArn,
    '--account-assignment-creation-request-id',
    created.AccountAssignmentCreationStatus.RequestId,
  ])) as { AccountAssignmentCreationStatus: { Status: string } };
  assert.equal(status.AccountAssignmentCreationStatus.Status, 'SUCCEEDED');
  const listed = (await cli([
    'sso-admin',
    'list-account-assignments',
    '--instance-arn',
    instance.InstanceArn,
    '--account-id',
    ACCOUNT,
    '--permission-set-arn',
    psArn,
  ])) as { AccountAssignments: unknown[] };
  assert.deepEqual(listed.AccountAssignments, [
    { AccountId: ACCOUNT, PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: userId },
  ]);
});

test('aws iam: delete the role after its policy; errors carry the AWS codes', async (t) => {
  if (skipWithout(t, 'aws (AWS CLI)', AWS_CLI)) return;
  assert.match(await cliError(['iam', 'delete-role', '--role-name', 'cli-role']), /DeleteConflict/);
  await cli(['iam', 'delete-role-policy', '--role-name', 'cli-role', '--policy-name', 'read']);
  await cli(['iam', 'delete-role', '--role-name', 'cli-role']);
  assert.match(
    await cliError(['iam', 'get-role', '--role-name', 'cli-role']),
    /NoSuchEntity.*The role with name cli-role cannot be found/,
  );
});
