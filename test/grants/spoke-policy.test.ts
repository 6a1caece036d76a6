// The shipped spoke policy (src/aws/bootstrap-policies.ts) against the emulator's policy engine: the hub gets in only
// with the account's external id, and a hub session can create roles only under /iam-jit/ with the managed-by tag and
// the iam-jit boundary, touch only tagged roles, and never drop a boundary or the tag. Conditions: IAM User Guide,
// "Permissions boundaries for IAM entities" (iam:PermissionsBoundary), "Controlling access to IAM resources"
// (aws:RequestTag, aws:ResourceTag); STS AssumeRole API reference (ExternalId).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { BOUNDARY, EXTERNAL_ID, HUB_CREDENTIALS, SPOKE, SPOKE_ROLE_ARN, twoAccountState } from './harness.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
  ],
});
const BOUNDARY_ARN = `arn:aws:iam::${SPOKE}:policy/${BOUNDARY}`;
const TAG = [{ Key: 'managed-by', Value: 'iam-jit' }];
const denied = (e: unknown) => e instanceof Error && e.name === 'AccessDenied';

let aws: LocalAws;
let iam: IAMClient;
let admin: ReturnType<typeof sdkClients>;

before(async () => {
  aws = await startLocalAws({ state: twoAccountState(new Date()) });
  const hub = sdkClients(aws.url, HUB_CREDENTIALS);
  const out = await hub.sts.send(
    new AssumeRoleCommand({ RoleArn: SPOKE_ROLE_ARN, RoleSessionName: 'test', ExternalId: EXTERNAL_ID }),
  );
  const c = out.Credentials;
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
  iam = sdkClients(aws.url, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  }).iam;
  admin = sdkClients(aws.url, {
    accessKeyId: `AKIA${SPOKE}ROOT`,
    secretAccessKey: `local-aws-root-secret-${SPOKE}`,
  });
  await admin.iam.send(new CreateRoleCommand({ RoleName: 'Production', AssumeRolePolicyDocument: TRUST }));
});
after(() => aws.close());

test('the hub cannot assume the spoke role without the right external id', async () => {
  const hub = sdkClients(aws.url, HUB_CREDENTIALS);
  await assert.rejects(
    hub.sts.send(
      new AssumeRoleCommand({ RoleArn: SPOKE_ROLE_ARN, RoleSessionName: 'probe', ExternalId: 'guess' }),
    ),
    denied,
  );
  await assert.rejects(
    hub.sts.send(new AssumeRoleCommand({ RoleArn: SPOKE_ROLE_ARN, RoleSessionName: 'probe' })),
    denied,
  );
});

test('CreateRole needs the /iam-jit/ path, the managed-by tag and the iam-jit boundary', async () => {
  const base = {
    AssumeRolePolicyDocument: TRUST,
    Path: '/iam-jit/',
    Tags: TAG,
    PermissionsBoundary: BOUNDARY_ARN,
  };
  await assert.rejects(iam.send(new CreateRoleCommand({ ...base, RoleName: 'a', Path: '/' })), denied);
  await assert.rejects(iam.send(new CreateRoleCommand({ ...base, RoleName: 'b', Tags: [] })), denied);
  const { PermissionsBoundary: _, ...noBoundary } = base;
  await assert.rejects(iam.send(new CreateRoleCommand({ ...noBoundary, RoleName: 'c' })), denied);
  await assert.rejects(
    iam.send(
      new CreateRoleCommand({
        ...base,
        RoleName: 'd',
        PermissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    ),
    denied,
  );
  const ok = await iam.send(new CreateRoleCommand({ ...base, RoleName: 'iam-jit-ok' }));
  assert.equal(ok.Role?.Path, '/iam-jit/');
});

test('a hub session cannot touch untagged roles, drop the boundary, or untag', async () => {
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'Production' })), denied);
  await assert.rejects(
    iam.send(
      new PutRolePolicyCommand({
        RoleName: 'Production',
        PolicyName: 'x',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    ),
    denied,
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'iam-jit-tagged',
      AssumeRolePolicyDocument: TRUST,
      Path: '/iam-jit/',
      Tags: TAG,
      PermissionsBoundary: BOUNDARY_ARN,
    }),
  );
  await assert.rejects(
    iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'iam-jit-tagged' })),
    denied,
  );
  await assert.rejects(
    iam.send(new UntagRoleCommand({ RoleName: 'iam-jit-tagged', TagKeys: ['managed-by'] })),
    denied,
  );
  assert.ok((await iam.send(new GetRoleCommand({ RoleName: 'iam-jit-tagged' }))).Role);
});
