// Properties of scorePolicy that single cases cannot show: monotonicity over random statement additions
// (seeded, so failures reproduce), Deny statements only ever lowering by what they remove, admin extensions
// only raising, determinism, and bounded evidence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConditionBlock, Policy, RiskContext, RiskReview, Statement } from '../types.ts';
import { MAX_EVIDENCE } from './factors/hits.ts';
import { bandOf } from './model.ts';
import { scorePolicy } from './score.ts';

function assertReviewInvariants(review: RiskReview, label: string): void {
  const sum = review.factors.reduce((s, f) => s + f.points, 0);
  assert.equal(review.score, Math.min(10, 1 + sum), `${label}: score is min(10, 1 + Σ points)`);
  assert.equal(review.band, bandOf(review.score), label);
}

/** mulberry32: a tiny seeded PRNG so every run explores the same policies. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:*',
  's3:Get*',
  's3:PutBucketPolicy',
  'iam:PassRole',
  'iam:CreatePolicyVersion',
  'iam:AttachUserPolicy',
  'iam:ListRoles',
  'iam:*',
  'lambda:CreateFunction',
  'lambda:InvokeFunction',
  'lambda:UpdateFunctionCode',
  'lambda:AddPermission',
  'ec2:Describe*',
  'ec2:RunInstances',
  'ec2:TerminateInstances',
  'ec2:CreateTags',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'kms:CreateGrant',
  'kms:Decrypt',
  'sts:AssumeRole',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'logs:GetLogEvents',
  'cloudtrail:StopLogging',
  'guardduty:DeleteDetector',
  'organizations:LeaveOrganization',
  'ecr:GetAuthorizationToken',
  'cloudwatch:PutMetricData',
  'glue:UpdateDevEndpoint',
  'ec2:ModifySnapshotAttribute',
  '*',
] as const;
const RESOURCES = [
  '*',
  'arn:aws:s3:::amzn-s3-demo-bucket/*',
  'arn:aws:s3:::*',
  'arn:aws:iam::111122223333:role/app',
  'arn:aws:iam::111122223333:role/*',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:lambda:us-east-1:111122223333:function:api',
  'arn:aws:secretsmanager:us-east-1:111122223333:secret:*',
  'arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*',
  'arn:aws:dynamodb:us-east-1:111122223333:table/T',
  'arn:aws:ec2:us-east-1:111122223333:instance/*',
  'arn:aws:kms:us-east-1:111122223333:key/1234abcd',
] as const;
const CONDITIONS: readonly (ConditionBlock | undefined)[] = [
  undefined,
  { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } },
  { StringEquals: { 'aws:ResourceTag/team': ['data'] } },
  { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
  { StringLike: { 's3:prefix': ['*'] } },
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function some<T>(rand: () => number, list: readonly T[], max: number): T[] {
  const n = 1 + Math.floor(rand() * max);
  return [...new Set(Array.from({ length: n }, () => pick(rand, list)))];
}

function randomStatement(rand: () => number, effect: 'Allow' | 'Deny', index: number): Statement {
  const st: Statement = { index, effect };
  if (rand() < 0.1) st.notAction = some(rand, ACTIONS, 2);
  else st.action = some(rand, ACTIONS, 4);
  if (rand() < 0.08) st.notResource = some(rand, RESOURCES, 2);
  else st.resource = some(rand, RESOURCES, 3);
  const condition = effect === 'Deny' && rand() < 0.7 ? undefined : pick(rand, CONDITIONS);
  if (condition) st.condition = structuredClone(condition);
  return st;
}

function randomPolicy(rand: () => number): Policy {
  const statements: Statement[] = [];
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) statements.push(randomStatement(rand, rand() < 0.25 ? 'Deny' : 'Allow', i));
  return { version: '2012-10-17', statements, statementIsObject: false };
}

function withStatement(policy: Policy, st: Statement): Policy {
  return { ...policy, statements: [...policy.statements, { ...st, index: policy.statements.length }] };
}

const CONTEXTS: RiskContext[] = [
  {},
  { accessType: 'read-only' },
  { durationHours: 36, environment: 'prod' },
  { extraSensitiveServices: ['dynamodb'], extraHighImpactActions: ['s3:PutObject'] },
  { kind: 'resource' },
];

test('monotonicity: adding an Allow statement never lowers the score (300 seeded random cases)', () => {
  const rand = prng(20240611);
  for (let i = 0; i < 300; i++) {
    const policy = randomPolicy(rand);
    const added = randomStatement(rand, 'Allow', 0);
    const context = pick(rand, CONTEXTS);
    const before = scorePolicy(policy, context);
    const after = scorePolicy(withStatement(policy, added), context);
    assert.ok(
      after.score >= before.score,
      `case ${i}: ${before.score} → ${after.score}\n${JSON.stringify({ policy, added, context })}`,
    );
    assertReviewInvariants(after, `case ${i}`);
  }
});

test('monotonicity: adding a Deny statement never raises the score (100 seeded random cases)', () => {
  const rand = prng(7);
  for (let i = 0; i < 100; i++) {
    const policy = randomPolicy(rand);
    const added = randomStatement(rand, 'Deny', 0);
    const before = scorePolicy(policy);
    const after = scorePolicy(withStatement(policy, added));
    assert.ok(after.score <= before.score, `case ${i}: ${JSON.stringify({ policy, added })}`);
  }
});

test('admin extensions only ever raise scores (100 seeded random cases)', () => {
  const rand = prng(99);
  for (let i = 0; i < 100; i++) {
    const policy = randomPolicy(rand);
    const plain = scorePolicy(policy);
    const extended = scorePolicy(policy, {
      extraSensitiveServices: some(rand, ['s3', 'dynamodb', 'lambda', 'ec2', 'logs'], 3),
      extraHighImpactActions: some(rand, ACTIONS, 3),
    });
    assert.ok(extended.score >= plain.score, `case ${i}: ${JSON.stringify(policy)}`);
  }
});

const ADMIN: Policy = {
  version: '2012-10-17',
  statementIsObject: false,
  statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'] }],
};

test('scorePolicy is deterministic', () => {
  const rand = prng(3);
  for (let i = 0; i < 30; i++) {
    const policy = randomPolicy(rand);
    assert.deepEqual(scorePolicy(policy, { durationHours: 12 }), scorePolicy(policy, { durationHours: 12 }));
  }
});

test('evidence is bounded per factor and says how much was left out', () => {
  const review = scorePolicy(ADMIN);
  for (const f of review.factors) {
    assert.ok(f.evidence.length <= MAX_EVIDENCE + 1, f.id);
  }
  const broad = review.factors.find((f) => f.id === 'broad-read');
  assert.match(broad?.evidence.at(-1)?.detail ?? '', /^… and \d+ more$/);
});

test('an unconditional Deny of everything brings full admin down to 1', () => {
  const policy: Policy = {
    ...ADMIN,
    statements: [...ADMIN.statements, { index: 1, effect: 'Deny', action: ['*'], resource: ['*'] }],
  };
  assert.equal(scorePolicy(policy).score, 1);
});

test('a Deny naming the action on another resource removes nothing', () => {
  // AWS IAM User Guide, policy evaluation logic: a deny applies only to the requests it matches.
  const allow: Statement = {
    index: 0,
    effect: 'Allow',
    action: ['secretsmanager:GetSecretValue'],
    resource: ['*'],
  };
  const deny: Statement = {
    index: 1,
    effect: 'Deny',
    action: ['secretsmanager:GetSecretValue'],
    resource: ['arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-*'],
  };
  const base: Policy = { version: '2012-10-17', statementIsObject: false, statements: [allow] };
  assert.deepEqual(scorePolicy({ ...base, statements: [allow, deny] }).score, scorePolicy(base).score);
});

test('summary and suggestions explain the score', () => {
  const review = scorePolicy(ADMIN);
  assert.match(review.summary, /^Score 10\/10 \(critical\) = 1 \+ 9 full-admin/);
  assert.ok(review.suggestions.some((s) => s.includes('"Action": "*"')));
  const empty = scorePolicy({ version: '2012-10-17', statementIsObject: false, statements: [] });
  assert.equal(empty.score, 1);
  assert.equal(empty.factors.length, 0);
  assert.match(empty.summary, /no risk factor/);
});

test('the uniform fast path and the per-grant path agree (an extension naming no real service forces the latter)', () => {
  const rand = prng(42);
  for (let i = 0; i < 60; i++) {
    const policy = randomPolicy(rand);
    const fast = scorePolicy(policy);
    const slow = scorePolicy(policy, { extraSensitiveServices: ['no-such-service'] });
    assert.equal(slow.score, fast.score, JSON.stringify(policy));
    assert.deepEqual(
      slow.factors.map((f) => [f.id, f.points]),
      fast.factors.map((f) => [f.id, f.points]),
    );
  }
});
