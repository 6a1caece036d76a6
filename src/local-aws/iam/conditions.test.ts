// The tag-scoped provisioning pattern of DESIGN.md §4 against IAM's condition keys for roles (Service
// Authorization Reference, "Actions, resources, and condition keys for IAM": aws:RequestTag, aws:TagKeys,
// aws:ResourceTag / iam:ResourceTag, iam:PermissionsBoundary, iam:PolicyARN).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  type IAMClient,
  PutRolePolicyCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createState } from '../seed.ts';
import { type LocalAws, startLocalAws } from '../server.ts';
import { sdkClients, trustPolicyFor } from '../testing.ts';

const A = '111111111111';
const user = { accessKeyId: 'AKIAUSERAAAAAAAAAAAA', secretAccessKey: 'secret-a' };
const boundaryArn = `arn:aws:iam::${A}:policy/grant-boundary`;
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
const managed = { StringEquals: { 'aws:ResourceTag/managed-by': 'iam-jit' } };
const provisioner = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CreateOnlyTaggedWithBoundary',
      Effect: 'Allow',
      Action: 'iam:CreateRole',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:RequestTag/managed-by': 'iam-jit', 'iam:PermissionsBoundary': boundaryArn },
      },
    },
    {
      Sid: 'ManageOnlyTagged',
      Effect: 'Allow',
      Action: ['iam:PutRolePolicy', 'iam:UntagRole', 'iam:AttachRolePolicy'],
      Resource: '*',
      Condition: managed,
    },
    {
      Sid: 'KeepTheTag',
      Effect: 'Deny',
      Action: 'iam:UntagRole',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'managed-by' } },
    },
    { Sid: 'KeepTheBoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
    {
      Sid: 'OnlyBoundaryPolicyAttachable',
      Effect: 'Deny',
      Action: 'iam:AttachRolePolicy',
      Resource: '*',
      Condition: { ArnNotEquals: { 'iam:PolicyARN': boundaryArn } },
    },
  ],
};

let aws: LocalAws;
let iam: IAMClient;
const trust = trustPolicyFor(`arn:aws:iam::${A}:root`);

before(async () => {
  aws = await startLocalAws({
    state: createState({
      accounts: [
        {
          id: A,
          users: [{ name: 'hub', ...user }],
          policies: [{ name: 'grant-boundary', document: allowAll }],
          roles: [
            {
              name: 'provisioner',
              assumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/hub`),
              inlinePolicies: { p: provisioner },
            },
            { name: 'unmanaged', assumeRolePolicyDocument: trust },
          ],
        },
      ],
    }),
  });
  const out = await sdkClients(aws.url, user).sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/provisioner`, RoleSessionName: 'hub' }),
  );
  const c = out.Credentials;
  iam = sdkClients(aws.url, {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  }).iam;
});
after(async () => {
  await aws.close();
});

const inline = JSON.stringify(allowAll);

test('CreateRole needs the managed-by tag and the boundary in the request', async () => {
  await assert.rejects(
    iam.send(
      new CreateRoleCommand({
        RoleName: 'g1',
        AssumeRolePolicyDocument: trust,
        PermissionsBoundary: boundaryArn,
      }),
    ),
    {
      name: 'AccessDenied',
    },
  );
  await assert.rejects(
    iam.send(
      new CreateRoleCommand({
        RoleName: 'g1',
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
      }),
    ),
    { name: 'AccessDenied' },
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'g1',
      AssumeRolePolicyDocument: trust,
      PermissionsBoundary: boundaryArn,
      Tags: [
        { Key: 'managed-by', Value: 'iam-jit' },
        { Key: 'grant', Value: 'g1' },
      ],
    }),
  );
});

test('only roles tagged managed-by=iam-jit can be changed', async () => {
  await iam.send(new PutRolePolicyCommand({ RoleName: 'g1', PolicyName: 'grant', PolicyDocument: inline }));
  await assert.rejects(
    iam.send(new PutRolePolicyCommand({ RoleName: 'unmanaged', PolicyName: 'x', PolicyDocument: inline })),
    {
      name: 'AccessDenied',
      message: /iam:PutRolePolicy on resource: arn:aws:iam::111111111111:role\/unmanaged/,
    },
  );
});

test('aws:TagKeys protects the managed-by tag; other tags may be removed', async () => {
  await assert.rejects(iam.send(new UntagRoleCommand({ RoleName: 'g1', TagKeys: ['managed-by'] })), {
    name: 'AccessDenied',
    message: /explicit deny/,
  });
  await iam.send(new UntagRoleCommand({ RoleName: 'g1', TagKeys: ['grant'] }));
});

test('iam:PolicyARN limits which managed policy may be attached; the boundary cannot be removed', async () => {
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'g1', PolicyArn: boundaryArn }));
  await assert.rejects(
    iam.send(new AttachRolePolicyCommand({ RoleName: 'g1', PolicyArn: `arn:aws:iam::${A}:policy/other` })),
    {
      name: 'AccessDenied',
    },
  );
  await assert.rejects(iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'g1' })), {
    name: 'AccessDenied',
  });
});
