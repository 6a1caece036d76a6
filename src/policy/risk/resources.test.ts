// Resource scope rules of the risk score. Sources: IAM User Guide "IAM JSON policy elements: Resource" (wildcards
// in ARNs), Service Authorization Reference ARN formats (role/, secret:, parameter/, table/, log-group:).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionRisk } from './action-flags.ts';
import { appliesTo, denyCovers, isWideResource } from './resources.ts';

test('isWideResource: every resource of a type is wide; one bucket, a prefix or a name is narrow', () => {
  const cases: [string, boolean][] = [
    ['*', true],
    ['arn:aws:s3:::*', true],
    ['arn:aws:s3:::*/*', true],
    ['arn:aws:s3:::amzn-s3-demo-bucket/*', false],
    ['arn:aws:s3:::amzn-s3-demo-bucket', false],
    ['arn:aws:iam::111122223333:role/*', true],
    ['arn:aws:iam::111122223333:role/app-*', false],
    ['arn:aws:iam::*:role/app', false],
    ['arn:aws:secretsmanager:us-east-1:111122223333:secret:*', true],
    ['arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*', false],
    ['arn:aws:ssm:*:*:parameter/*', true],
    ['arn:aws:ssm:*:*:parameter/app/prod/*', false],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/*', true],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/Orders', false],
    ['arn:aws:logs:*:*:*', true],
    ['arn:aws:logs:*:*:log-group:*', true],
    ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/api:*', false],
    ['arn:aws:*:*:*:*', true],
  ];
  for (const [pattern, wide] of cases) assert.equal(isWideResource(pattern), wide, pattern);
});

test('appliesTo: an action only counts for `*` or ARNs of its own resource types', () => {
  // Service Authorization Reference: actions without resource types require "Resource": "*".
  const passRole = actionRisk('iam:PassRole');
  const getObject = actionRisk('s3:GetObject');
  const sessionToken = actionRisk('sts:GetSessionToken');
  const sendCommand = actionRisk('ssm:SendCommand');
  assert.ok(passRole && getObject && sessionToken && sendCommand);
  assert.equal(appliesTo(passRole, 'arn:aws:s3:::bucket/*'), false);
  assert.equal(appliesTo(passRole, 'arn:aws:iam::111122223333:role/app'), true);
  assert.equal(appliesTo(getObject, '*'), true);
  assert.equal(appliesTo(getObject, 'arn:aws:*:*:*:*'), true);
  assert.equal(appliesTo(sessionToken, 'arn:aws:iam::111122223333:role/app'), false);
  assert.equal(appliesTo(sessionToken, '*'), true);
  // ssm:SendCommand targets EC2 instance ARNs as well as SSM documents.
  assert.equal(appliesTo(sendCommand, 'arn:aws:ec2:us-east-1:111122223333:instance/*'), true);
  assert.equal(appliesTo(getObject, 'not-an-arn'), true, 'unknown shapes are kept (fail closed)');
});

test('denyCovers: a Deny covers an Allow resource only when it certainly matches all of it', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/private/*', true],
    ['arn:aws:s3:::b/private/*', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/*', '*', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b*', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/x', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/*', false],
    ['arn:aws:iam::*:role/admin', 'arn:aws:iam::111122223333:role/admin', true],
  ];
  for (const [deny, allow, covered] of cases)
    assert.equal(denyCovers(deny, allow), covered, `${deny} ⊇ ${allow}`);
});
