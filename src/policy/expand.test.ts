import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  actionPatternMatches,
  expandActionPattern,
  expandActionPatterns,
  expandStatementActions,
  unknownActionPatterns,
} from './expand.ts';
import { getIamCatalog } from './iam-catalog.ts';

describe('expandActionPatterns', () => {
  test('a literal action resolves case-insensitively to its canonical name and access level', () => {
    // IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive.
    assert.deepEqual(expandActionPatterns(['S3:getobject']), [
      { action: 's3:GetObject', service: 's3', accessLevel: 'Read' },
    ]);
  });

  test('mid-name wildcards: s3:Get*Tagging', () => {
    const names = expandActionPatterns(['s3:Get*Tagging']).map((a) => a.action);
    assert.ok(names.includes('s3:GetObjectTagging'));
    assert.ok(names.includes('s3:GetBucketTagging'));
    assert.ok(names.every((n) => /^s3:Get.*Tagging$/.test(n)));
  });

  test('? matches exactly one character', () => {
    assert.deepEqual(
      expandActionPatterns(['iam:?etRole']).map((a) => a.action),
      ['iam:GetRole'],
    );
  });

  test('service wildcard covers every action of the service and nothing else', () => {
    const all = expandActionPatterns(['sts:*']);
    assert.equal(all.length, getIamCatalog().actionsOf('sts').length);
    assert.ok(all.every((a) => a.service === 'sts'));
  });

  test('"*" covers the whole catalog; union is deduplicated and sorted', () => {
    assert.equal(expandActionPatterns(['*']).length, getIamCatalog().allActions().length);
    const u = expandActionPatterns(['s3:GetObject', 's3:getObject', 'iam:PassRole']).map((a) => a.action);
    assert.deepEqual(u, ['iam:PassRole', 's3:GetObject']);
  });

  test('iam:PassRole is reported with the access level of the IAM data', () => {
    assert.equal(expandActionPattern('iam:PassRole')[0]?.accessLevel, 'Write');
  });

  test('unknown actions and services expand to nothing and are reported', () => {
    assert.deepEqual(expandActionPatterns(['s3:GetObjekt', 'nosuchservice:*']), []);
    assert.deepEqual(
      unknownActionPatterns(['s3:GetObjekt', 's3:Get*', 'nosuch:*', '*', 'ec2:Zzz*', 'notanaction']),
      ['s3:GetObjekt', 'nosuch:*', 'ec2:Zzz*', 'notanaction'],
    );
  });
});

describe('expandStatementActions', () => {
  test('NotAction is the complement over the catalog', () => {
    // IAM User Guide, "IAM JSON policy elements: NotAction": Allow + NotAction iam:* allows everything but IAM.
    const actions = expandStatementActions({
      index: 0,
      effect: 'Allow',
      notAction: ['iam:*'],
      resource: ['*'],
    });
    const total = getIamCatalog().allActions().length;
    assert.equal(actions.length, total - getIamCatalog().actionsOf('iam').length);
    assert.ok(!actions.some((a) => a.service === 'iam'));
  });

  test('Action patterns expand as a union', () => {
    const actions = expandStatementActions({
      index: 0,
      effect: 'Allow',
      action: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
    });
    assert.deepEqual(
      actions.map((a) => a.action),
      ['sqs:ReceiveMessage', 'sqs:SendMessage'],
    );
  });
});

test('actionPatternMatches is case-insensitive with wildcards', () => {
  assert.equal(actionPatternMatches('S3:Get*', 's3:GetObject'), true);
  assert.equal(actionPatternMatches('s3:Get*', 's3:PutObject'), false);
  assert.equal(actionPatternMatches('*', 'ec2:RunInstances'), true);
});
