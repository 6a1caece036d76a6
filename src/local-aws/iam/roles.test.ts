// Expected behaviour from the IAM API Reference (CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles) and the
// botocore iam 2010-05-08 model (RoleName pattern [\w+=,.@-]+, length 1–64; MaxSessionDuration 3600–43200).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  type IAMClient,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { DEFAULT_ACCOUNT_ID, defaultRootCredentials } from '../seed.ts';
import { type LocalAws, startLocalAws } from '../server.ts';
import { sdkClients, trustPolicyFor } from '../testing.ts';

let aws: LocalAws;
let iam: IAMClient;
const trust = trustPolicyFor(`arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`);
before(async () => {
  aws = await startLocalAws();
  iam = sdkClients(aws.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID)).iam;
});
after(async () => {
  await aws.close();
});

test('CreateRole returns the role and GetRole reads it back (trust policy URL-decoded by the caller)', async () => {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: 'app-reader',
      Path: '/team/',
      AssumeRolePolicyDocument: trust,
      Description: 'reads',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'owner', Value: 'alice' }],
    }),
  );
  assert.equal(created.Role?.Arn, `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:role/team/app-reader`);
  assert.match(created.Role?.RoleId ?? '', /^AROA/);
  const got = await iam.send(new GetRoleCommand({ RoleName: 'APP-READER' }));
  assert.equal(got.Role?.RoleName, 'app-reader', 'role names are case-insensitive for lookups');
  assert.equal(got.Role?.Path, '/team/');
  assert.equal(got.Role?.MaxSessionDuration, 7200);
  assert.equal(got.Role?.Description, 'reads');
  assert.deepEqual(got.Role?.Tags, [{ Key: 'owner', Value: 'alice' }]);
  assert.ok(got.Role?.CreateDate instanceof Date);
  assert.deepEqual(
    JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')),
    JSON.parse(trust),
  );
});

test('CreateRole twice is EntityAlreadyExists (409), also with different case', async () => {
  await assert.rejects(
    iam.send(new CreateRoleCommand({ RoleName: 'App-Reader', AssumeRolePolicyDocument: trust })),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
      e.name === 'EntityAlreadyExistsException' && e.$metadata?.httpStatusCode === 409,
  );
});

test('invalid names, paths and durations are ValidationError', async () => {
  for (const input of [
    { RoleName: 'has space', AssumeRolePolicyDocument: trust },
    { RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: trust },
    { RoleName: 'ok', Path: 'no-slash', AssumeRolePolicyDocument: trust },
    { RoleName: 'ok', MaxSessionDuration: 3599, AssumeRolePolicyDocument: trust },
  ]) {
    await assert.rejects(iam.send(new CreateRoleCommand(input)), (e: Error) => {
      assert.equal(e.name, 'ValidationError', JSON.stringify(input));
      assert.match(e.message, /^1 validation error detected/);
      return true;
    });
  }
});

test('a trust policy without Principal or with bad JSON is MalformedPolicyDocument', async () => {
  const noPrincipal = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
  });
  for (const doc of [noPrincipal, '{"Version": "2012-10-17", "Statement": [']) {
    await assert.rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: doc })),
      {
        name: 'MalformedPolicyDocumentException',
      },
    );
  }
});

test('reserved aws: tag keys are InvalidInput', async () => {
  await assert.rejects(
    iam.send(
      new CreateRoleCommand({
        RoleName: 't',
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: 'aws:x', Value: '1' }],
      }),
    ),
    { name: 'InvalidInputException' },
  );
});

test('UpdateRole and UpdateAssumeRolePolicy change the role', async () => {
  await iam.send(new UpdateRoleCommand({ RoleName: 'app-reader', MaxSessionDuration: 43200 }));
  const other = trustPolicyFor('arn:aws:iam::222222222222:root');
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app-reader', PolicyDocument: other }));
  const got = await iam.send(new GetRoleCommand({ RoleName: 'app-reader' }));
  assert.equal(got.Role?.MaxSessionDuration, 43200);
  assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''), other);
});

test('ListRoles filters by path prefix and paginates with Marker/IsTruncated', async () => {
  for (let i = 0; i < 5; i++) {
    await iam.send(
      new CreateRoleCommand({ RoleName: `page-${i}`, Path: '/paged/', AssumeRolePolicyDocument: trust }),
    );
  }
  const names: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: marker }));
    names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    assert.equal(page.Roles?.[0]?.Tags, undefined, 'ListRoles does not return tags');
    marker = page.IsTruncated ? page.Marker : undefined;
    pages++;
  } while (marker);
  assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  assert.equal(pages, 3);
  const all = await iam.send(new ListRolesCommand({}));
  assert.ok((all.Roles ?? []).some((r) => r.RoleName === 'app-reader'));
});

test('DeleteRole refuses while inline policies remain (DeleteConflict), then deletes', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: trust }));
  const role = aws.state.accounts[DEFAULT_ACCOUNT_ID]?.roles.doomed;
  assert.ok(role);
  role.inlinePolicies.p = '{}'; // seeded directly; PutRolePolicy has its own tests
  await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), {
    name: 'DeleteConflictException',
  });
  role.inlinePolicies = {};
  await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'doomed' })), (e: Error) => {
    assert.equal(e.name, 'NoSuchEntityException');
    assert.equal(e.message, 'The role with name doomed cannot be found.');
    return true;
  });
});
