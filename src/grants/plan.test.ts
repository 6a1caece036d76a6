// The provisioning plan and usage hints (pure). Commands follow the AWS CLI reference for `aws iam create-role`,
// `put-role-policy`, `delete-role-policy`, `delete-role` and `aws sts assume-role`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account } from '../accounts/account.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import type { Grant } from './grant.ts';
import { buildPlan, grantUsage } from './plan.ts';

const now = new Date('2026-05-01T09:00:00.000Z');
const account = (over: Partial<Account>): Account => ({
  id: '222222222222',
  name: 'Spoke',
  environment: 'nonprod',
  provisioningMode: 'iam_role',
  spokeRoleArn: 'arn:aws:iam::222222222222:role/iam-jit-provisioner',
  externalId: 'secret-external-id',
  approvers: [],
  requiredApprovals: 1,
  maxDurationHours: null,
  allowedServices: null,
  permissionSetArn: null,
  createdAt: now,
  updatedAt: now,
  ...over,
});
const request = {
  id: 'req_1',
  requesterId: 'email:alice@example.com',
  startAt: new Date('2026-05-01T12:00:00.000Z'),
  durationHours: 2,
} as AccessRequest;
const revision = {
  number: 1,
  policy: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
  },
} as Revision;
const settings = {
  vendingPrincipalArn: 'arn:aws:iam::111111111111:role/iam-jit-hub',
  permissionsBoundaryName: 'b',
};

test('the plan starts at start_at, never shows the external id, and names missing configuration', () => {
  const plan = buildPlan({
    request,
    revision,
    accounts: [account({}), account({ id: '333333333333', spokeRoleArn: null, externalId: null })],
    approverIds: [],
    settings,
    now,
  });
  const [a, b] = plan.accounts;
  assert.equal(a?.notBefore.toISOString(), '2026-05-01T12:00:00.000Z');
  assert.equal(a?.notAfter.toISOString(), '2026-05-01T14:00:00.000Z');
  assert.deepEqual(a?.problems, []);
  assert.ok(a?.steps.every((s) => !s.command.includes('secret-external-id')));
  assert.deepEqual(
    a?.steps.map((s) => s.command.split(' ').slice(0, 3).join(' ')),
    [
      'aws sts assume-role',
      'aws iam create-role',
      'aws iam put-role-policy',
      'aws iam put-role-policy',
      'aws iam delete-role-policy',
    ],
  );
  assert.match(a?.steps[2]?.command ?? '', /"aws:CurrentTime":"2026-05-01T14:00:00.000Z"/);
  assert.deepEqual(b?.problems, ['the account has no spoke role ARN or external id configured']);
});

test('identity_center: a per-grant permission set, or only the assignment of the account’s shared set', () => {
  const ic = account({ id: '333333333333', provisioningMode: 'identity_center' });
  const [perGrant] = buildPlan({
    request,
    revision,
    accounts: [ic],
    approverIds: [],
    settings,
    now,
  }).accounts;
  assert.deepEqual(perGrant?.problems, []);
  assert.deepEqual(
    perGrant?.steps.map((s) => [s.phase, s.command.split(' ').slice(0, 3).join(' ')]),
    [
      ['provision', 'aws sts assume-role'],
      ['provision', 'aws sso-admin list-instances'],
      ['provision', 'aws sso-admin create-permission-set'],
      ['provision', 'aws sso-admin put-inline-policy-to-permission-set'],
      ['provision', 'aws sso-admin provision-permission-set'],
      ['provision', 'aws sso-admin create-account-assignment'],
      ['revoke', 'aws sso-admin put-inline-policy-to-permission-set'],
      ['revoke', 'aws sso-admin delete-account-assignment'],
      ['revoke', 'aws sso-admin delete-permission-set'],
    ],
  );
  assert.match(perGrant?.steps[2]?.command ?? '', /--name GRANT_ID .*--session-duration PT1H/);
  assert.match(perGrant?.steps[3]?.command ?? '', /"aws:CurrentTime":"2026-05-01T14:00:00.000Z"/);
  assert.match(perGrant?.steps[1]?.command ?? '', /"AttributeValue":"alice@example.com"/);

  const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
  const [shared] = buildPlan({
    request,
    revision,
    accounts: [{ ...ic, permissionSetArn: ps }],
    approverIds: [],
    settings,
    now,
  }).accounts;
  assert.deepEqual(
    shared?.steps.map((s) => s.command.split(' ').slice(0, 3).join(' ')),
    [
      'aws sts assume-role',
      'aws sso-admin list-instances',
      'aws sso-admin create-account-assignment',
      'aws sso-admin delete-account-assignment',
    ],
  );
  assert.ok(shared?.steps.slice(2).every((s) => s.command.includes(`--permission-set-arn ${ps}`)));
  assert.match(shared?.steps[3]?.description ?? '', /unless another live grant of the user holds it/);

  const [iamUser] = buildPlan({
    request: { ...request, requesterId: 'iam:arn:aws:iam::111111111111:role/dev' },
    revision,
    accounts: [ic],
    approverIds: [],
    settings,
    now,
  }).accounts;
  assert.deepEqual(iamUser?.problems, [
    'identity_center grants need an email: user (the Identity Center userName); iam:arn:aws:iam::111111111111:role/dev has none',
  ]);
});

test('usage: nothing until active; iam: users also get a direct assume-role command', () => {
  const grant = {
    id: 'grt_1',
    accountId: '222222222222',
    requesterId: 'iam:arn:aws:iam::444444444444:role/Dev',
    mode: 'iam_role',
    status: 'pending',
    roleArn: 'arn:aws:iam::222222222222:role/iam-jit/iam-jit-grt_1',
  } as Grant;
  assert.deepEqual(grantUsage(grant), []);
  const active = grantUsage({ ...grant, status: 'active' });
  assert.ok(
    active.includes(
      'aws sts assume-role --role-arn arn:aws:iam::222222222222:role/iam-jit/iam-jit-grt_1 --role-session-name iam-jit --duration-seconds 3600',
    ),
  );
  assert.match(grantUsage({ ...grant, status: 'active', mode: 'identity_center' })[0] ?? '', /access portal/);
});
