// API-level behaviour of validatePolicy beyond the case corpus: bare `Policy` input, size quotas
// (IAM User Guide, "IAM and AWS STS quotas"; AWS Organizations quotas for SCPs), parse-issue conversion,
// kind inference and finding order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from '../parse.ts';
import type { Policy, Statement } from '../types.ts';
import { policySize, SIZE_QUOTAS } from './size.ts';
import { findingsFromParseIssues, validatePolicy } from './validate.ts';

const codes = (p: Parameters<typeof validatePolicy>[0], o?: Parameters<typeof validatePolicy>[1]): string[] =>
  validatePolicy(p, o).map((f) => `${f.code} ${f.path}`);

function bare(statements: Partial<Statement>[], version = '2012-10-17'): Policy {
  return {
    version,
    statementIsObject: false,
    statements: statements.map((s, index) => ({ index, effect: 'Allow', ...s }) as Statement),
  };
}

/** An identity policy of about `chars` characters (whitespace excluded), made of distinct object ARNs. */
function bigPolicy(chars: number, extra: Partial<Statement> = {}): Policy {
  const resource: string[] = [];
  for (let i = 0; policySize(resource) < chars; i++)
    resource.push(`arn:aws:s3:::bucket/${'k'.repeat(40)}${i}`);
  return bare([{ action: ['s3:GetObject'], resource, ...extra }]);
}

test('bare Policy: shapes the parser would reject are reported', () => {
  const policy = bare([
    { effect: 'Maybe' as 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] },
    { resource: ['*'] },
    { effect: undefined as unknown as 'Allow', action: ['s3:GetObject'], resource: ['arn:aws:s3:::b/*'] },
    {
      effect: 'Deny',
      action: ['s3:GetObject'],
      notAction: ['s3:PutObject'],
      resource: ['*'],
      notResource: ['*'],
    },
  ]);
  assert.deepEqual(codes(policy, { kind: 'identity' }).sort(), [
    'INVALID_EFFECT /Statement/0/Effect',
    'MISSING_ACTION /Statement/1',
    'MISSING_EFFECT /Statement/2',
    'UNSUPPORTED_ELEMENT_COMBINATION /Statement/3',
    'UNSUPPORTED_ELEMENT_COMBINATION /Statement/3',
  ]);
});

test('bare Policy: entry paths use array indexes', () => {
  const policy = bare([{ action: ['s3:GetObject', 's3:Nope'], resource: ['arn:aws:s3:::b/*'] }]);
  assert.deepEqual(codes(policy), ['INVALID_ACTION /Statement/0/Action/1']);
});

test('size: identity policies are measured without whitespace against the inline role quota', () => {
  const ok = bigPolicy(SIZE_QUOTAS.managed - 200);
  assert.deepEqual(codes(ok, { kind: 'identity' }), []);
  const overManaged = bigPolicy(SIZE_QUOTAS.managed + 100);
  assert.deepEqual(codes(overManaged, { kind: 'identity' }), ['POLICY_SIZE_EXCEEDS_MANAGED_POLICY_QUOTA ']);
  assert.deepEqual(codes(overManaged, { kind: 'identity', identityPolicyType: 'managed' }), [
    'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA ',
  ]);
  const overInline = bigPolicy(SIZE_QUOTAS['inline-role'] + 100);
  assert.deepEqual(codes(overInline, { kind: 'identity' }), ['POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA ']);
});

test('size: whitespace does not count', () => {
  const policy = bigPolicy(SIZE_QUOTAS.managed - 300);
  const text = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: policy.statements[0]?.resource }],
    },
    null,
    8,
  );
  assert.ok(text.length > SIZE_QUOTAS.managed);
  const parsed = parsePolicy(text);
  assert.ok(parsed.ok);
  assert.deepEqual(codes(parsed.value, { kind: 'identity', identityPolicyType: 'managed' }), []);
});

test('size: SCP, trust, session and boundary quotas', () => {
  const deny = { effect: 'Deny' as const };
  assert.deepEqual(codes(bigPolicy(SIZE_QUOTAS.scp + 50, deny), { kind: 'scp' }), [
    'POLICY_SIZE_EXCEEDS_SCP_QUOTA ',
  ]);
  assert.deepEqual(codes(bigPolicy(SIZE_QUOTAS.session + 50), { kind: 'session' }), [
    'POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA ',
  ]);
  assert.deepEqual(codes(bigPolicy(SIZE_QUOTAS.managed + 50), { kind: 'boundary' }), [
    'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA ',
  ]);
  const aws = Array.from(
    { length: 90 },
    (_, i) => `arn:aws:iam::${String(100000000000 + i)}:role/partner-role`,
  );
  const trust = bare([{ action: ['sts:AssumeRole'], principal: { AWS: aws } }]);
  assert.deepEqual(codes(trust, { kind: 'trust' }), ['POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA ']);
});

test('findingsFromParseIssues: malformed JSON and structural issues', () => {
  const broken = parsePolicy('{"Version": "2012-10-17", "Statement": [}');
  assert.ok(!broken.ok);
  const [syntax] = findingsFromParseIssues(broken.error);
  assert.equal(syntax?.code, 'JSON_SYNTAX_ERROR');
  assert.equal(syntax?.path, '');
  assert.match(syntax?.message ?? '', /line 1, column \d+/);
  const shape = parsePolicy(
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}',
  );
  assert.ok(!shape.ok);
  assert.deepEqual(
    findingsFromParseIssues(shape.error).map((f) => `${f.code} ${f.path} ${f.severity}`),
    ['INVALID_POLICY_STRUCTURE /Statement/0/Action error'],
  );
});

test('findings are ordered: document findings first, then by statement and severity', () => {
  const policy = bare(
    [
      { action: ['s3:GetObject', 's3:getobject'], resource: ['arn:aws:s3:::b/*'] },
      { action: ['s3:Nope'], resource: ['arn:aws:s3:::b/*'], sid: '' },
    ],
    '2012-10-18',
  );
  assert.deepEqual(codes(policy, { kind: 'identity' }), [
    'INVALID_VERSION /Version',
    'REDUNDANT_ACTION /Statement/0/Action/1',
    'INVALID_ACTION /Statement/1/Action/0',
    'EMPTY_SID_VALUE /Statement/1/Sid',
  ]);
});

test('validatePolicy never throws on odd but typed content', () => {
  const policy = bare([
    {
      action: ['*'],
      resource: ['arn:*'],
      condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['*'] } },
    },
    { action: ['a:b:c', ':', 's3:'], resource: ['arn:aws:s3:::${aws:username', 'arn:::::'] },
  ]);
  assert.doesNotThrow(() => validatePolicy(policy, { kind: 'identity' }));
});
