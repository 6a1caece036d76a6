// Principal parsing and matching. Sources: IAM User Guide, "AWS JSON policy elements: Principal" and
// "NotPrincipal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html),
// "Policy evaluation logic" (resource-based policies within one account).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContext, parsePrincipal } from './context.ts';
import { isExemptByNotPrincipal, matchPrincipal } from './principal.ts';

const user = parsePrincipal('arn:aws:iam::111122223333:user/division/alice');
const session = parsePrincipal('arn:aws:sts::111122223333:assumed-role/dev/s1');

test('classifies principal ARNs', () => {
  assert.equal(user.kind, 'user');
  assert.equal(user.name, 'alice');
  assert.equal(session.kind, 'role-session');
  assert.equal(session.roleArn, 'arn:aws:iam::111122223333:role/dev');
  assert.equal(parsePrincipal('arn:aws:iam::111122223333:root').kind, 'root');
  assert.equal(parsePrincipal('111122223333').kind, 'root');
  assert.equal(parsePrincipal('arn:aws:sts::111122223333:federated-user/bob').kind, 'federated-user');
  assert.equal(parsePrincipal('lambda.amazonaws.com').kind, 'service');
  assert.equal(parsePrincipal('not-an-arn').kind, 'unknown');
});

test('Principal matching: direct, role, account, none', () => {
  assert.equal(matchPrincipal('*', undefined), 'direct');
  assert.equal(matchPrincipal({ AWS: [user.arn] }, user), 'direct');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::111122223333:role/dev'] }, session), 'role');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::111122223333:role/some/path/dev'] }, session), 'role');
  assert.equal(matchPrincipal({ AWS: [session.arn] }, session), 'direct');
  const role = parsePrincipal('arn:aws:iam::111122223333:role/dev');
  assert.equal(matchPrincipal({ AWS: [role.arn] }, role), 'role', 'a role acts through sessions');
  assert.equal(matchPrincipal({ AWS: ['111122223333'] }, user), 'account');
  assert.equal(matchPrincipal({ AWS: ['arn:aws:iam::111122223333:root'] }, user), 'account');
  assert.equal(matchPrincipal({ AWS: ['444455556666'] }, user), 'none');
  assert.equal(matchPrincipal({ AWS: [user.arn] }, undefined), 'none');
  assert.equal(
    matchPrincipal({ Service: ['lambda.amazonaws.com'] }, parsePrincipal('lambda.amazonaws.com')),
    'direct',
  );
});

test('NotPrincipal exempts only when the whole chain (account, role, session) is listed', () => {
  const acct = 'arn:aws:iam::111122223333:root';
  assert.equal(isExemptByNotPrincipal({ AWS: [user.arn, acct] }, user), true);
  assert.equal(isExemptByNotPrincipal({ AWS: [user.arn] }, user), false);
  assert.equal(isExemptByNotPrincipal({ AWS: [acct] }, user), false);
  const role = 'arn:aws:iam::111122223333:role/dev';
  assert.equal(isExemptByNotPrincipal({ AWS: [session.arn, role, acct] }, session), true);
  assert.equal(isExemptByNotPrincipal({ AWS: [session.arn, acct] }, session), false);
  assert.equal(isExemptByNotPrincipal({ AWS: ['*'] }, session), true);
});

test('the context gains principal-derived keys unless given', () => {
  const ctx = buildContext({ 'aws:PrincipalAccount': 'override' }, user);
  assert.deepEqual(ctx.get('aws:username')?.values, ['alice']);
  assert.deepEqual(ctx.get('aws:principaltype')?.values, ['User']);
  assert.deepEqual(ctx.get('aws:principalaccount')?.values, ['override']);
  const sctx = buildContext(undefined, session);
  assert.equal(sctx.get('aws:username'), undefined, 'aws:username is present only for IAM users');
  assert.deepEqual(sctx.get('aws:principalarn')?.values, ['arn:aws:iam::111122223333:role/dev']);
});
