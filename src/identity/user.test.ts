import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailUserId, hasRole, isActiveAdmin, normalizeUserId, sortRoles } from './user.ts';

test('normalizeUserId: emails lowercased, ARNs normalised, other shapes refused', () => {
  assert.deepEqual(normalizeUserId(' email:Alice@X.com '), { ok: true, value: 'email:alice@x.com' });
  assert.deepEqual(normalizeUserId('iam:arn:aws:sts::111122223333:assumed-role/Devops/alice'), {
    ok: true,
    value: 'iam:arn:aws:iam::111122223333:role/Devops',
  });
  for (const bad of ['alice@x.com', 'email:', 'email:alice', 'email:a b@x.com', 'iam:Devops', 'user:alice'])
    assert.equal(normalizeUserId(bad).ok, false, bad);
  assert.deepEqual(emailUserId('Bob@Example.org'), { ok: true, value: 'email:bob@example.org' });
  assert.equal(emailUserId('bob').ok, false);
});

test('roles: sorted and deduplicated; admin implies every role', () => {
  assert.deepEqual(sortRoles(['admin', 'requester', 'admin']), ['requester', 'admin']);
  assert.ok(hasRole({ roles: ['admin'] }, 'approver'));
  assert.ok(hasRole({ roles: ['approver'] }, 'approver'));
  assert.ok(!hasRole({ roles: ['requester'] }, 'approver'));
  assert.ok(!hasRole({ roles: ['approver'] }, 'admin'));
  assert.ok(isActiveAdmin({ roles: ['admin'], enabled: true }));
  assert.ok(!isActiveAdmin({ roles: ['admin'], enabled: false }));
});
