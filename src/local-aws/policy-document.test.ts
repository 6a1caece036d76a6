// IAM User Guide, "IAM JSON policy element reference" (required elements per policy type) and "IAM and AWS STS
// quotas" (character limits, white space excluded).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkManagedPolicy,
  checkPolicyDocument,
  checkRoleInlinePolicy,
  checkTrustPolicy,
  policySize,
} from './policy-document.ts';

const doc = (statement: Record<string, unknown>, version = '2012-10-17'): string =>
  JSON.stringify({ Version: version, Statement: [statement] });

function rejects(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: Error & { code?: string }) => {
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('identity policies need Action and Resource and must not name a Principal', () => {
  checkPolicyDocument(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'identity');
  checkPolicyDocument(doc({ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::b' }), 'identity');
  rejects(
    () => checkPolicyDocument(doc({ Effect: 'Allow', Resource: '*' }), 'identity'),
    'MalformedPolicyDocument',
    /must contain actions/,
  );
  rejects(
    () => checkPolicyDocument(doc({ Effect: 'Allow', Action: 's3:*' }), 'identity'),
    'MalformedPolicyDocument',
    /must contain resources/,
  );
  rejects(
    () =>
      checkPolicyDocument(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }), 'session'),
    'MalformedPolicyDocument',
    /should not specify a principal/,
  );
});

test('trust policies need a Principal and must not have a Resource', () => {
  checkTrustPolicy(
    doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
  );
  rejects(
    () => checkTrustPolicy(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' })),
    'MalformedPolicyDocument',
    /Principal/,
  );
  rejects(
    () => checkTrustPolicy(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' })),
    'MalformedPolicyDocument',
    /prohibited field Resource/,
  );
});

test('bad JSON, unknown elements, an unknown Version and vendor-less actions are malformed', () => {
  const extra = doc({ Effect: 'Allow', Action: '*', Resource: '*', Bogus: 1 });
  rejects(() => checkPolicyDocument(extra, 'identity'), 'MalformedPolicyDocument', /Syntax errors/);
  const lowercase = JSON.stringify({
    version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  });
  rejects(() => checkPolicyDocument(lowercase, 'identity'), 'MalformedPolicyDocument', /Syntax errors/);
  rejects(
    () => checkPolicyDocument('{"Statement": [', 'identity'),
    'MalformedPolicyDocument',
    /invalid Json/,
  );
  rejects(
    () => checkPolicyDocument(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, '2020-01-01'), 'identity'),
    'MalformedPolicyDocument',
  );
  rejects(
    () => checkPolicyDocument(doc({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }), 'identity'),
    'MalformedPolicyDocument',
    /prefaced by a vendor/,
  );
});

test("size quotas ignore white space and count a role's inline policies together", () => {
  assert.equal(policySize('{ "a" :\n\t"b" }'), 9);
  const padded = (n: number) =>
    doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(n)}` });
  const base = policySize(padded(0));
  checkManagedPolicy(padded(6144 - base));
  rejects(() => checkManagedPolicy(padded(6145 - base)), 'LimitExceeded', /PolicySize: 6144/);
  const half = padded(5120 - base);
  checkRoleInlinePolicy(half, 'r', { other: half }, 'mine');
  rejects(
    () => checkRoleInlinePolicy(padded(5121 - base), 'r', { other: half }, 'mine'),
    'LimitExceeded',
    /10240 bytes exceeded for role r/,
  );
  checkRoleInlinePolicy(padded(10240 - base), 'r', { mine: half }, 'mine');
});
