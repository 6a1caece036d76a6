import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAccount, checkAccountPatch } from '../../../accounts/account.ts';
import {
  accountFormFromFields,
  accountFormValues,
  accountInputFromForm,
  accountPatchFromForm,
  blankAccountForm,
} from './account-form.ts';

/** A posted form as `readForm` reads it (first value, trimmed). */
const fields = (body: Record<string, string>) => ({ text: (name: string) => (body[name] ?? '').trim() });

const NOW = new Date('2026-11-23T12:00:00Z');

test('account form: a posted create form becomes the account the service builds', () => {
  const values = accountFormFromFields(
    fields({
      id: ' 111122223333 ',
      name: 'Production',
      environment: 'prod',
      provisioning_mode: 'iam_role',
      spoke_role_arn: 'arn:aws:iam::111122223333:role/iam-jit-provisioner',
      external_id: '',
      approvers: 'email:bob@example.com\nemail:carol@example.com, email:bob@example.com',
      required_approvals: '2',
      max_duration_hours: '4',
      allowed_services: 's3, ec2 iam',
    }),
  );
  const account = buildAccount(accountInputFromForm(values), NOW);
  assert.equal(account.id, '111122223333');
  assert.deepEqual(account.approvers, ['email:bob@example.com', 'email:carol@example.com']);
  assert.equal(account.requiredApprovals, 2);
  assert.equal(account.maxDurationHours, 4);
  assert.deepEqual(account.allowedServices, ['ec2', 'iam', 's3']);
  assert.equal(account.externalId, null);
  assert.equal(account.spokeRoleArn, 'arn:aws:iam::111122223333:role/iam-jit-provisioner');
});

test('account form: blanks mean the defaults (any service, the global maximum, no approvers)', () => {
  const account = buildAccount(
    accountInputFromForm({ ...blankAccountForm(), id: '111122223333', name: 'Dev', environment: 'dev' }),
    NOW,
  );
  assert.equal(account.allowedServices, null);
  assert.equal(account.maxDurationHours, null);
  assert.deepEqual(account.approvers, []);
  assert.equal(account.requiredApprovals, 1);
  assert.equal(account.provisioningMode, 'iam_role');
});

test('account form: text that is not a number reaches the service, which names the field', () => {
  const values = { ...blankAccountForm(), id: '111122223333', name: 'Dev', environment: 'dev' };
  assert.throws(
    () => buildAccount(accountInputFromForm({ ...values, requiredApprovals: 'two' }), NOW),
    /required_approvals: must be an integer from 1 to 10/,
  );
  assert.throws(
    () => buildAccount(accountInputFromForm({ ...values, maxDurationHours: '1e3' }), NOW),
    /max_duration_hours: must be greater than 0/,
  );
  assert.throws(
    () => buildAccount(accountInputFromForm({ ...values, approvers: 'bob@example.com' }), NOW),
    /approvers\[0\]: user id must start with "email:" or "iam:"/,
  );
});

test('account form: an account shown in the edit form and posted back unchanged is the same account', () => {
  const account = buildAccount(
    {
      id: '111122223333',
      name: 'Prod',
      environment: 'prod',
      provisioningMode: 'identity_center',
      externalId: 'ext-123',
      approvers: ['email:bob@example.com'],
      requiredApprovals: 2,
      maxDurationHours: 1.5,
      allowedServices: ['s3'],
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef',
    },
    NOW,
  );
  const patch = checkAccountPatch(accountPatchFromForm(accountFormValues(account)), account.id);
  assert.deepEqual({ ...account, ...patch }, account);
  const cleared = accountPatchFromForm({
    ...accountFormValues(account),
    externalId: ' ',
    allowedServices: '',
    permissionSetArn: '',
  });
  assert.equal(cleared.permissionSetArn, null);
  assert.equal(cleared.externalId, null);
  assert.equal(cleared.allowedServices, null);
  assert.equal(
    'requiredApprovals' in accountPatchFromForm({ ...accountFormValues(account), requiredApprovals: '' }),
    false,
  );
});
