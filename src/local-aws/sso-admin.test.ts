// Expected behaviour from the IAM Identity Center API Reference (CreatePermissionSet, CreateAccountAssignment
// "asynchronous; use DescribeAccountAssignmentCreationStatus", ListAccountAssignments) and the Identity Store
// API Reference (ListUsers Filters on UserName, GetUserId with a UniqueAttribute).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetUserIdCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createState, defaultRootCredentials } from './seed.ts';
import { type LocalAws, startLocalAws } from './server.ts';
import { sdkClients } from './testing.ts';

const A = '111111111111';
const user = { accessKeyId: 'AKIAUSERAAAAAAAAAAAA', secretAccessKey: 'secret-a' };
let aws: LocalAws;
let instanceArn = '';
let storeId = '';
let aliceId = '';
const clients = () => sdkClients(aws.url, defaultRootCredentials(A));

before(async () => {
  aws = await startLocalAws({
    state: createState({
      accounts: [
        {
          id: A,
          users: [{ name: 'admin', ...user }],
          roles: [
            {
              name: 'reader',
              assumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { AWS: `arn:aws:iam::${A}:user/admin` },
                    Action: 'sts:AssumeRole',
                  },
                ],
              },
              inlinePolicies: {
                read: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: ['sso:List*', 'sso:Describe*', 'identitystore:*'],
                      Resource: '*',
                    },
                  ],
                },
              },
            },
          ],
          identityCenter: {
            identityStoreId: 'd-1234567890',
            users: [
              { userName: 'alice', displayName: 'Alice A', email: 'alice@example.com' },
              { userName: 'bob' },
            ],
          },
        },
      ],
    }),
  });
  const out = await clients().sso.send(new ListInstancesCommand({}));
  instanceArn = out.Instances?.[0]?.InstanceArn ?? '';
  storeId = out.Instances?.[0]?.IdentityStoreId ?? '';
});
after(async () => {
  await aws.close();
});

test('ListInstances returns the seeded instance', async () => {
  const out = await clients().sso.send(new ListInstancesCommand({}));
  assert.equal(out.Instances?.length, 1);
  assert.match(instanceArn, /^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
  assert.equal(storeId, 'd-1234567890');
  assert.equal(out.Instances?.[0]?.OwnerAccountId, A);
  assert.equal(out.Instances?.[0]?.Status, 'ACTIVE');
});

test('Identity Store: ListUsers by UserName and GetUserId', async () => {
  const { identityStore } = clients();
  const all = await identityStore.send(new ListUsersCommand({ IdentityStoreId: storeId }));
  assert.deepEqual(
    all.Users?.map((u) => u.UserName),
    ['alice', 'bob'],
  );
  const one = await identityStore.send(
    new ListUsersCommand({
      IdentityStoreId: storeId,
      Filters: [{ AttributePath: 'UserName', AttributeValue: 'alice' }],
    }),
  );
  assert.equal(one.Users?.length, 1);
  assert.equal(one.Users?.[0]?.DisplayName, 'Alice A');
  assert.deepEqual(one.Users?.[0]?.Emails, [{ Value: 'alice@example.com', Type: 'work', Primary: true }]);
  aliceId = one.Users?.[0]?.UserId ?? '';
  assert.match(aliceId, /^1234567890-[0-9a-f-]{36}$/);
  const id = await identityStore.send(
    new GetUserIdCommand({
      IdentityStoreId: storeId,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
    }),
  );
  assert.equal(id.UserId, aliceId);
  await assert.rejects(
    identityStore.send(
      new GetUserIdCommand({
        IdentityStoreId: storeId,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'nobody' } },
      }),
    ),
    { name: 'ResourceNotFoundException' },
  );
});

test('permission set lifecycle and asynchronous account assignments', async () => {
  const { sso } = clients();
  const ps = await sso.send(
    new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'grant-1', SessionDuration: 'PT2H' }),
  );
  const psArn = ps.PermissionSet?.PermissionSetArn ?? '';
  assert.match(psArn, /^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
  assert.ok(ps.PermissionSet?.CreatedDate instanceof Date);
  await assert.rejects(
    sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'grant-1' })),
    {
      name: 'ConflictException',
    },
  );
  await sso.send(
    new PutInlinePolicyToPermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: psArn,
      InlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
    }),
  );
  await assert.rejects(
    sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: psArn,
        InlinePolicy: '{',
      }),
    ),
    { name: 'ValidationException' },
  );
  const described = await sso.send(
    new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }),
  );
  assert.equal(described.PermissionSet?.SessionDuration, 'PT2H');
  const prov = await sso.send(
    new ProvisionPermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: psArn,
      TargetType: 'AWS_ACCOUNT',
      TargetId: A,
    }),
  );
  assert.equal(prov.PermissionSetProvisioningStatus?.Status, 'SUCCEEDED');

  const assignment = {
    InstanceArn: instanceArn,
    PermissionSetArn: psArn,
    TargetId: A,
    TargetType: 'AWS_ACCOUNT',
    PrincipalType: 'USER',
    PrincipalId: aliceId,
  } as const;
  const created = await sso.send(new CreateAccountAssignmentCommand(assignment));
  assert.equal(created.AccountAssignmentCreationStatus?.Status, 'IN_PROGRESS');
  const requestId = created.AccountAssignmentCreationStatus?.RequestId ?? '';
  const status = await sso.send(
    new DescribeAccountAssignmentCreationStatusCommand({
      InstanceArn: instanceArn,
      AccountAssignmentCreationRequestId: requestId,
    }),
  );
  assert.equal(status.AccountAssignmentCreationStatus?.Status, 'SUCCEEDED');
  const listed = await sso.send(
    new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: A, PermissionSetArn: psArn }),
  );
  assert.deepEqual(listed.AccountAssignments, [
    { AccountId: A, PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: aliceId },
  ]);
  await assert.rejects(
    sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn })),
    {
      name: 'ConflictException',
    },
  );

  const deleted = await sso.send(new DeleteAccountAssignmentCommand(assignment));
  assert.equal(deleted.AccountAssignmentDeletionStatus?.Status, 'IN_PROGRESS');
  const delStatus = await sso.send(
    new DescribeAccountAssignmentDeletionStatusCommand({
      InstanceArn: instanceArn,
      AccountAssignmentDeletionRequestId: deleted.AccountAssignmentDeletionStatus?.RequestId,
    }),
  );
  assert.equal(delStatus.AccountAssignmentDeletionStatus?.Status, 'SUCCEEDED');
  const after = await sso.send(
    new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: A, PermissionSetArn: psArn }),
  );
  assert.deepEqual(after.AccountAssignments, []);
  await sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }));
  await assert.rejects(
    sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn })),
    {
      name: 'ResourceNotFoundException',
    },
  );
});

test('an assignment to an unknown user fails asynchronously', async () => {
  const { sso } = clients();
  const ps = await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'grant-2' }));
  const created = await sso.send(
    new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: ps.PermissionSet?.PermissionSetArn,
      TargetId: A,
      TargetType: 'AWS_ACCOUNT',
      PrincipalType: 'USER',
      PrincipalId: '1234567890-00000000-0000-0000-0000-000000000000',
    }),
  );
  const status = await sso.send(
    new DescribeAccountAssignmentCreationStatusCommand({
      InstanceArn: instanceArn,
      AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus?.RequestId,
    }),
  );
  assert.equal(status.AccountAssignmentCreationStatus?.Status, 'FAILED');
  assert.match(status.AccountAssignmentCreationStatus?.FailureReason ?? '', /does not exist/);
});

test('validation and authentication errors use the JSON protocol codes', async () => {
  const { sso } = clients();
  await assert.rejects(
    sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'has space' })),
    {
      name: 'ValidationException',
    },
  );
  const bad = sdkClients(aws.url, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
  await assert.rejects(bad.sso.send(new ListInstancesCommand({})), { name: 'UnrecognizedClientException' });
  const wrong = sdkClients(aws.url, { ...defaultRootCredentials(A), secretAccessKey: 'wrong' });
  await assert.rejects(wrong.identityStore.send(new ListUsersCommand({ IdentityStoreId: storeId })), {
    name: 'InvalidSignatureException',
  });
});

test('an STS session gets AccessDeniedException for SSO actions its role does not allow', async () => {
  const out = await sdkClients(aws.url, user).sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/reader`, RoleSessionName: 's1' }),
  );
  const c = out.Credentials;
  const session = sdkClients(aws.url, {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  });
  assert.equal((await session.sso.send(new ListInstancesCommand({}))).Instances?.length, 1);
  await session.identityStore.send(new ListUsersCommand({ IdentityStoreId: storeId }));
  await assert.rejects(
    session.sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'nope' })),
    (e: Error) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, /is not authorized to perform: sso:CreatePermissionSet/);
      return true;
    },
  );
});

// IAM Identity Center API Reference: ListPermissionSetsProvisionedToAccount (ARNs of the sets provisioned to the
// account), ListTagsForResource (a permission set's tags), GetInlinePolicyForPermissionSet (the policy as a string).
test('inventory: sets provisioned to an account, their tags and inline policy', async () => {
  const { sso } = clients();
  const created = await sso.send(
    new CreatePermissionSetCommand({
      InstanceArn: instanceArn,
      Name: 'inventory',
      Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
    }),
  );
  const arn = created.PermissionSet?.PermissionSetArn ?? '';
  const ps = { InstanceArn: instanceArn, PermissionSetArn: arn };
  const provisioned = async () =>
    (
      await sso.send(
        new ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: instanceArn,
          AccountId: '222233334444',
        }),
      )
    ).PermissionSets ?? [];
  assert.deepEqual(await provisioned(), []);
  assert.equal((await sso.send(new GetInlinePolicyForPermissionSetCommand(ps))).InlinePolicy, '');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
  });
  await sso.send(new PutInlinePolicyToPermissionSetCommand({ ...ps, InlinePolicy: policy }));
  await sso.send(
    new ProvisionPermissionSetCommand({ ...ps, TargetType: 'AWS_ACCOUNT', TargetId: '222233334444' }),
  );
  assert.deepEqual(await provisioned(), [arn]);
  assert.equal((await sso.send(new GetInlinePolicyForPermissionSetCommand(ps))).InlinePolicy, policy);
  assert.deepEqual(
    (await sso.send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn }))).Tags,
    [{ Key: 'managed-by', Value: 'iam-jit' }],
  );
  await sso.send(new DeletePermissionSetCommand(ps));
  await assert.rejects(
    sso.send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn })),
    {
      name: 'ResourceNotFoundException',
    },
  );
});

test('ListPermissionSets lists every set of the instance, provisioned or not, page by page', async () => {
  const { sso } = clients();
  const arns: string[] = [];
  for (const name of ['list-a', 'list-b', 'list-c']) {
    const created = await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: name }));
    arns.push(created.PermissionSet?.PermissionSetArn ?? '');
  }
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await sso.send(
      new ListPermissionSetsCommand({ InstanceArn: instanceArn, MaxResults: 2, NextToken: token }),
    );
    seen.push(...(r.PermissionSets ?? []));
    token = r.NextToken;
    pages++;
  } while (token !== undefined && pages < 10);
  for (const arn of arns) assert.ok(seen.includes(arn), arn);
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(pages >= 2);
  await assert.rejects(
    sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, MaxResults: 101 })),
    { name: 'ValidationException' },
  );
  for (const arn of arns)
    await sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
});
