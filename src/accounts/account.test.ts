// Account validation (pure): the `permission_set_arn` field. Format: IAM Identity Center API reference,
// PermissionSetArn (10-1224 characters, arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet/(sso)?ins-…{16}/ps-…{16}).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBrokerError } from '../lib/errors.ts';
import { type AccountInput, buildAccount, checkAccountPatch } from './account.ts';

const NOW = new Date('2026-05-01T09:00:00.000Z');
const PS = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const IC: AccountInput = {
  id: '333333333333',
  name: 'Identity Center',
  environment: 'nonprod',
  provisioningMode: 'identity_center',
};

/** `code:field message` of a thrown BrokerError. */
function refusal(work: () => unknown): string {
  try {
    work();
  } catch (e) {
    if (isBrokerError(e)) return `${e.code}:${(e.details as { field?: string }).field} ${e.message}`;
    throw e;
  }
  return 'accepted';
}

test('permission_set_arn defaults to null (per-grant permission sets) and keeps a valid ARN', () => {
  assert.equal(buildAccount(IC, NOW).permissionSetArn, null);
  assert.equal(buildAccount({ ...IC, permissionSetArn: PS }, NOW).permissionSetArn, PS);
  const govCloud = 'arn:aws-us-gov:sso:::permissionSet/ins-abcdef.123456789/ps-ab/de-0123456789';
  assert.equal(checkAccountPatch({ permissionSetArn: govCloud }, IC.id).permissionSetArn, govCloud);
  assert.equal(checkAccountPatch({ permissionSetArn: null }, IC.id).permissionSetArn, null);
});

test('permission_set_arn must be an Identity Center permission set ARN', () => {
  const message =
    'InvalidInput:permission_set_arn permission_set_arn: must be an IAM Identity Center permission set ARN (arn:aws:sso:::permissionSet/ssoins-…/ps-…)';
  for (const bad of [
    'arn:aws:iam::333333333333:role/ReadOnly',
    'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-short',
    'arn:aws:sso:::permissionSet/ssoins-123/ps-0123456789abcdef',
    `${PS} `,
    '',
  ])
    assert.equal(
      refusal(() => buildAccount({ ...IC, permissionSetArn: bad }, NOW)),
      message,
      bad,
    );
});

test('permission_set_arn is only valid in identity_center accounts', () => {
  const message =
    'InvalidInput:permission_set_arn permission_set_arn: is only valid when provisioning_mode is identity_center';
  assert.equal(
    refusal(() => buildAccount({ ...IC, provisioningMode: 'iam_role', permissionSetArn: PS }, NOW)),
    message,
  );
  assert.equal(
    refusal(() => buildAccount({ ...IC, provisioningMode: undefined, permissionSetArn: PS }, NOW)),
    message,
  );
});
