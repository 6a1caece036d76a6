// Pure grant rules. Sources: IAM User Guide, "IAM JSON policy elements: Condition" (condition keys are
// case-insensitive; DateLessThan with aws:CurrentTime), STS AssumeRole API reference (SourceIdentity
// pattern [\w+=,.@-]*, 2–64 characters; DurationSeconds minimum 900).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRegions } from '../requests/request-input.ts';
import { credentialSeconds, grantTrustPolicy, sourceIdentityFor, timeBoundPolicy } from './grant.ts';

const NOT_AFTER = new Date('2026-05-01T11:00:00.000Z');

test('every statement gets DateLessThan aws:CurrentTime = not_after; requester time conditions are replaced', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: {
          DateLessThan: { 'AWS:CurrentTime': '2099-01-01T00:00:00Z' },
          DateGreaterThan: { 'aws:currenttime': '2000-01-01T00:00:00Z' },
          StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
        },
      },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    ],
  };
  assert.deepEqual(timeBoundPolicy(policy, NOT_AFTER).Statement, [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:RequestedRegion': 'eu-west-1' },
        DateLessThan: { 'aws:CurrentTime': '2026-05-01T11:00:00.000Z' },
      },
    },
    {
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2026-05-01T11:00:00.000Z' } },
    },
  ]);
});

test('a single Statement object is accepted; an empty policy is a bug', () => {
  const one = timeBoundPolicy({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, NOT_AFTER);
  assert.equal((one.Statement as unknown[]).length, 1);
  assert.throws(() => timeBoundPolicy({ Statement: [] }, NOT_AFTER));
});

test('trust: the vending principal bound to the user, plus the iam: user own role; both time-limited', () => {
  const t = grantTrustPolicy({
    vendingPrincipalArn: 'arn:aws:iam::111111111111:role/iam-jit-hub',
    requesterId: 'iam:arn:aws:iam::333333333333:role/Dev',
    notAfter: NOT_AFTER,
  });
  const statements = t.Statement as Record<string, unknown>[];
  assert.deepEqual(
    statements.map((s) => s.Principal),
    [{ AWS: 'arn:aws:iam::111111111111:role/iam-jit-hub' }, { AWS: 'arn:aws:iam::333333333333:role/Dev' }],
  );
  for (const s of statements)
    assert.deepEqual((s.Condition as Record<string, unknown>).DateLessThan, {
      'aws:CurrentTime': NOT_AFTER.toISOString(),
    });
  const email = grantTrustPolicy({
    vendingPrincipalArn: 'arn:x',
    requesterId: 'email:a@b.c',
    notAfter: NOT_AFTER,
  });
  assert.equal((email.Statement as unknown[]).length, 1);
});

test('SourceIdentity keeps only [\\w+=,.@-] and 64 characters', () => {
  assert.equal(sourceIdentityFor('email:alice@example.com'), 'email+alice@example.com');
  assert.equal(sourceIdentityFor(`iam:arn:aws:iam::123456789012:role/${'x'.repeat(60)}`).length, 64);
  assert.match(sourceIdentityFor('iam:arn:aws:iam::123456789012:role/Dev'), /^[\w+=,.@-]+$/);
});

test('credential seconds: min(remaining, 3600), whole seconds', () => {
  const now = new Date('2026-05-01T09:00:00.000Z');
  assert.equal(credentialSeconds(NOT_AFTER, now), 3600);
  assert.equal(credentialSeconds(new Date('2026-05-01T09:20:00.500Z'), now), 1200);
  assert.equal(credentialSeconds(new Date('2026-05-01T08:00:00Z'), now), -3600);
});

// aws:RequestedRegion: IAM User Guide, "AWS global condition context keys" (the Region the request is made to;
// global services such as IAM, CloudFront and Route 53 are requested in us-east-1) and "AWS: Denies access to AWS
// based on the requested Region" (global services are exempted there with NotAction).
test('regions: StringEquals aws:RequestedRegion on every statement, global-service actions split off', () => {
  const until = { 'aws:CurrentTime': NOT_AFTER.toISOString() };
  const policy = {
    Statement: [
      {
        Sid: 'Mixed',
        Effect: 'Allow',
        Action: ['s3:GetObject', 'IAM:GetRole', 'cloudfront:Get*'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ec2:Describe*',
        Resource: '*',
        Condition: {
          StringEquals: { 'AWS:RequestedRegion': ['eu-west-1', 'us-east-2'], 'aws:PrincipalTag/team': 'a' },
        },
      },
    ],
  };
  assert.deepEqual(timeBoundPolicy(policy, NOT_AFTER, ['eu-west-1', 'eu-central-1']).Statement, [
    {
      Sid: 'MixedGlobal',
      Effect: 'Allow',
      Action: ['IAM:GetRole', 'cloudfront:Get*'],
      Resource: '*',
      Condition: { DateLessThan: until },
    },
    {
      Sid: 'Mixed',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: '*',
      Condition: {
        DateLessThan: until,
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
      },
    },
    { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { DateLessThan: until } },
    {
      Effect: 'Allow',
      NotAction: 'iam:*',
      Resource: '*',
      Condition: {
        DateLessThan: until,
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
      },
    },
    {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: {
        DateLessThan: until,
        StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
      },
    },
    {
      // The requester's own region limit is kept where narrower (intersection), never widened.
      Effect: 'Allow',
      Action: 'ec2:Describe*',
      Resource: '*',
      Condition: {
        DateLessThan: until,
        StringEquals: { 'aws:PrincipalTag/team': 'a', 'aws:RequestedRegion': 'eu-west-1' },
      },
    },
  ]);
  // No regions (null or empty): the time limit only.
  assert.deepEqual(timeBoundPolicy(policy, NOT_AFTER, []), timeBoundPolicy(policy, NOT_AFTER));
  assert.deepEqual(timeBoundPolicy(policy, NOT_AFTER, null), timeBoundPolicy(policy, NOT_AFTER));
});

test('checkRegions: region codes only, deduplicated and sorted; none means any region', () => {
  assert.deepEqual(checkRegions(['us-gov-west-1', 'eu-west-1', 'eu-west-1']), ['eu-west-1', 'us-gov-west-1']);
  assert.equal(checkRegions([]), null);
  assert.equal(checkRegions(undefined), null);
  assert.throws(() => checkRegions(['EU-WEST-1']), /regions\[0\]: must be a region code such as eu-west-1/);
  assert.throws(
    () => checkRegions(Array.from({ length: 31 }, () => 'eu-west-1')),
    /regions: at most 30 regions/,
  );
});
