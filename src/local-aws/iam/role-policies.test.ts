// Expected behaviour from the IAM API Reference (PutRolePolicy, GetRolePolicy, AttachRolePolicy, DeleteRole,
// DeletePolicy, TagRole) and "IAM and AWS STS quotas" (10,240 characters of inline policy per role,
// 10 managed policies per role, 50 tags per role).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { createState, DEFAULT_ACCOUNT_ID, defaultRootCredentials } from '../seed.ts';
import { type LocalAws, startLocalAws } from '../server.ts';
import { sdkClients, trustPolicyFor } from '../testing.ts';

let aws: LocalAws;
let iam: IAMClient;
const allow = (action: string, resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });

before(async () => {
  aws = await startLocalAws();
  iam = sdkClients(aws.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID)).iam;
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'worker',
      AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::111111111111:root'),
    }),
  );
});
after(async () => {
  await aws.close();
});

test('PutRolePolicy then GetRolePolicy and ListRolePolicies; DeleteRolePolicy removes it', async () => {
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'worker',
      PolicyName: 'read',
      PolicyDocument: allow('s3:GetObject'),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'worker',
      PolicyName: 'list',
      PolicyDocument: allow('s3:ListBucket'),
    }),
  );
  const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'read' }));
  assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), allow('s3:GetObject'));
  const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }));
  assert.deepEqual(listed.PolicyNames, ['list', 'read']);
  assert.equal(listed.IsTruncated, false);
  await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), {
    name: 'DeleteConflictException',
  });
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'list' }));
  await assert.rejects(iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'list' })), {
    name: 'NoSuchEntityException',
    message: 'The role policy with name list cannot be found.',
  });
});

test('inline policies are checked for grammar and the 10,240-character aggregate quota', async () => {
  const withPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
  });
  await assert.rejects(
    iam.send(
      new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'p', PolicyDocument: withPrincipal }),
    ),
    { name: 'MalformedPolicyDocumentException', message: 'Policy document should not specify a principal.' },
  );
  const noResource = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*' }],
  });
  await assert.rejects(
    iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'p', PolicyDocument: noResource })),
    { name: 'MalformedPolicyDocumentException' },
  );
  const big = allow('s3:GetObject', `arn:aws:s3:::${'b'.repeat(10300)}`);
  await assert.rejects(
    iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'big', PolicyDocument: big })),
    { name: 'LimitExceededException' },
  );
});

test('managed policies: create, attach, list, refuse delete while attached, detach, delete', async () => {
  const created = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'boundary', Path: '/b/', PolicyDocument: allow('s3:*') }),
  );
  const arn = created.Policy?.Arn ?? '';
  assert.equal(arn, `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:policy/b/boundary`);
  await assert.rejects(
    iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: allow('s3:*') })),
    {
      name: 'EntityAlreadyExistsException',
    },
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: arn }));
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }));
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'boundary', PolicyArn: arn }]);
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount, 1);
  await assert.rejects(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), {
    name: 'DeleteConflictException',
  });
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: arn }));
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  await assert.rejects(iam.send(new GetPolicyCommand({ PolicyArn: arn })), { name: 'NoSuchEntityException' });
  await assert.rejects(iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: arn })), {
    name: 'NoSuchEntityException',
  });
});

test('no more than 10 managed policies per role (LimitExceeded)', async () => {
  for (let i = 0; i < 11; i++) {
    const p = await iam.send(
      new CreatePolicyCommand({ PolicyName: `m${i}`, PolicyDocument: allow('s3:GetObject') }),
    );
    const send = iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: p.Policy?.Arn }));
    if (i < 10) await send;
    else await assert.rejects(send, { name: 'LimitExceededException' });
  }
});

test('permissions boundary is shown by GetRole and can be removed', async () => {
  const p = await iam.send(new CreatePolicyCommand({ PolicyName: 'pb', PolicyDocument: allow('s3:*') }));
  await iam.send(
    new PutRolePermissionsBoundaryCommand({ RoleName: 'worker', PermissionsBoundary: p.Policy?.Arn }),
  );
  const role = await iam.send(new GetRoleCommand({ RoleName: 'worker' }));
  assert.deepEqual(role.Role?.PermissionsBoundary, {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: p.Policy?.Arn,
  });
  await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'worker' }));
  assert.equal(
    (await iam.send(new GetRoleCommand({ RoleName: 'worker' }))).Role?.PermissionsBoundary,
    undefined,
  );
  await assert.rejects(
    iam.send(
      new PutRolePermissionsBoundaryCommand({
        RoleName: 'worker',
        PermissionsBoundary: 'arn:aws:iam::111111111111:policy/none',
      }),
    ),
    { name: 'InvalidInputException' },
  );
});

test('TagRole merges case-insensitively, UntagRole removes, the 50-tag limit holds', async () => {
  await iam.send(
    new TagRoleCommand({
      RoleName: 'worker',
      Tags: [
        { Key: 'Env', Value: 'dev' },
        { Key: 'team', Value: 'a' },
      ],
    }),
  );
  await iam.send(new TagRoleCommand({ RoleName: 'worker', Tags: [{ Key: 'env', Value: 'prod' }] }));
  let tags = (await iam.send(new ListRoleTagsCommand({ RoleName: 'worker' }))).Tags;
  assert.deepEqual(tags, [
    { Key: 'env', Value: 'prod' },
    { Key: 'team', Value: 'a' },
  ]);
  await iam.send(new UntagRoleCommand({ RoleName: 'worker', TagKeys: ['TEAM'] }));
  tags = (await iam.send(new ListRoleTagsCommand({ RoleName: 'worker' }))).Tags;
  assert.deepEqual(tags, [{ Key: 'env', Value: 'prod' }]);
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await assert.rejects(iam.send(new TagRoleCommand({ RoleName: 'worker', Tags: many })), {
    name: 'LimitExceededException',
  });
});

test('AWS managed policies from the seed can be attached and used as boundaries, not deleted', async () => {
  const seeded = await startLocalAws({
    state: createState({
      accounts: [{ id: DEFAULT_ACCOUNT_ID }],
      awsManagedPolicies: [{ name: 'ReadOnlyAccess', document: JSON.parse(allow('s3:Get*')) }],
    }),
  });
  try {
    const c = sdkClients(seeded.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID)).iam;
    const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await c.send(
      new CreateRoleCommand({
        RoleName: 'ro',
        AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::111111111111:root'),
        PermissionsBoundary: arn,
      }),
    );
    await c.send(new AttachRolePolicyCommand({ RoleName: 'ro', PolicyArn: arn }));
    assert.deepEqual(
      (await c.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ro' }))).AttachedPolicies,
      [{ PolicyName: 'ReadOnlyAccess', PolicyArn: arn }],
    );
    assert.equal((await c.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Arn, arn);
    await assert.rejects(c.send(new DeletePolicyCommand({ PolicyArn: arn })), {
      name: 'InvalidInputException',
    });
  } finally {
    await seeded.close();
  }
});
