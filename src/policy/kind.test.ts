import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferPolicyKind } from './kind.ts';
import type { Policy, Statement } from './types.ts';

function policy(statements: Omit<Statement, 'index' | 'effect'>[]): Policy {
  return {
    statementIsObject: false,
    statements: statements.map((s, index) => ({ index, effect: 'Allow', ...s })),
  };
}

test('inferPolicyKind', () => {
  // IAM User Guide, "Identity-based policies and resource-based policies" and "Role trust policies".
  assert.equal(inferPolicyKind(policy([{ action: ['s3:GetObject'], resource: ['*'] }])), 'identity');
  assert.equal(
    inferPolicyKind(policy([{ principal: { Service: ['ec2.amazonaws.com'] }, action: ['sts:AssumeRole'] }])),
    'trust',
  );
  assert.equal(
    inferPolicyKind(
      policy([
        {
          principal: { AWS: ['arn:aws:iam::111122223333:root'] },
          action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ]),
    ),
    'trust',
  );
  assert.equal(
    inferPolicyKind(
      policy([{ principal: { Federated: ['cognito-identity.amazonaws.com'] }, action: ['sts:AssumeRole*'] }]),
    ),
    'trust',
  );
  // A resource policy granting everything to a principal is not a trust policy.
  assert.equal(inferPolicyKind(policy([{ principal: '*', action: ['*'], resource: ['*'] }])), 'resource');
  assert.equal(
    inferPolicyKind(policy([{ principal: '*', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] }])),
    'resource',
  );
  // Mixed: a Principal in some statements only — an identity policy whose Principal elements are errors.
  assert.equal(
    inferPolicyKind(
      policy([
        { action: ['s3:GetObject'], resource: ['*'] },
        { principal: '*', action: ['sts:AssumeRole'] },
      ]),
    ),
    'identity',
  );
});
