import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getIamCatalog, normaliseAccessLevel } from './iam-catalog.ts';
import { ACCESS_LEVELS } from './types.ts';

test('every catalog action has one of the five documented access levels', () => {
  const levels = new Set(
    getIamCatalog()
      .allActions()
      .map((a) => a.accessLevel),
  );
  assert.deepEqual([...levels].sort(), [...ACCESS_LEVELS].sort());
});

test('combined Write sub-levels map to the documented level', () => {
  // Service Authorization Reference: tagging and permissions-management actions are their own access levels.
  assert.equal(normaliseAccessLevel('Tagging, Write'), 'Tagging');
  assert.equal(normaliseAccessLevel('Permissions management, Write'), 'Permissions management');
  assert.equal(getIamCatalog().action('sts:TagSession')?.accessLevel, 'Tagging');
  assert.equal(
    getIamCatalog().action('lakeformation:GrantPermissions')?.accessLevel,
    'Permissions management',
  );
  assert.throws(() => normaliseAccessLevel('Admin'), /unknown access level "Admin"/);
});

test('lookups are case-insensitive and resolve templated and global condition keys', () => {
  const c = getIamCatalog();
  assert.equal(c.action('S3:getobject')?.id, 's3:GetObject');
  assert.equal(c.conditionKey('aws:RequestTag/Project')?.key, 'aws:RequestTag/${TagKey}');
  assert.equal(c.conditionKey('s3:ExistingObjectTag/Team')?.key, 's3:ExistingObjectTag/<key>');
  assert.equal(c.conditionKey('AWS:SourceIp')?.type, 'IPAddress');
  assert.equal(c.conditionKey('s3:NoSuchKey'), undefined);
  assert.ok(c.resourceType('s3', 'object')?.arn.includes('${BucketName}/${ObjectName}'));
});

test('literal tag-key placeholders and newer global keys resolve', () => {
  // Service Authorization Reference, AWS Secrets Manager: secretsmanager:ResourceTag/tag-key.
  assert.equal(
    getIamCatalog().conditionKey('secretsmanager:ResourceTag/Owner')?.key,
    'secretsmanager:ResourceTag/tag-key',
  );
  assert.equal(getIamCatalog().conditionKey('aws:VpceOrgID')?.type, 'String');
});
