import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arnMatchesTemplate,
  arnService,
  candidateResourceTypes,
  fillArnTemplate,
  isArnShaped,
  matchResourceTypes,
  resourceTypesOfAction,
  unfilledPlaceholders,
} from './arn-template.ts';
import { getIamCatalog } from './iam-catalog.ts';

const S3_OBJECT = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
const KMS_KEY = 'arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}';

describe('fillArnTemplate', () => {
  const cases = [
    // policy_sentry docs (docs/writing-policies/actions-mode.md) emit the KMS key template for kms:CreateGrant;
    // we fill the placeholders we know and use `*` for the rest.
    { template: KMS_KEY, values: {}, expected: 'arn:aws:kms:*:*:key/*' },
    {
      template: KMS_KEY,
      values: { region: 'us-east-1', accountId: '111122223333' },
      expected: 'arn:aws:kms:us-east-1:111122223333:key/*',
    },
    // S3 bucket/object ARNs have no region or account (S3 User Guide, "Policy resources for Amazon S3").
    { template: S3_OBJECT, values: { region: 'eu-west-1' }, expected: 'arn:aws:s3:::*/*' },
    {
      template: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}',
      values: { partition: 'aws-us-gov', accountId: '123456789012' },
      expected: 'arn:aws-us-gov:iam::123456789012:role/*',
    },
    // Adjacent placeholders collapse into one wildcard.
    { template: 'arn:${Partition}:x:::${A}${B}', values: {}, expected: 'arn:aws:x:::*' },
  ];
  for (const c of cases) {
    it(`${c.template} with ${JSON.stringify(c.values)}`, () => {
      assert.equal(fillArnTemplate(c.template, c.values), c.expected);
    });
  }

  it('reports the placeholders left as wildcards', () => {
    assert.deepEqual(unfilledPlaceholders(KMS_KEY, { region: 'us-east-1' }), ['Account', 'KeyId']);
    assert.deepEqual(unfilledPlaceholders(S3_OBJECT), ['BucketName', 'ObjectName']);
  });
});

describe('arnMatchesTemplate', () => {
  const cases = [
    // S3 User Guide, "Policy resources for Amazon S3" examples.
    {
      arn: 'arn:aws:s3:::amzn-s3-demo-bucket/developers/design_info.doc',
      template: S3_OBJECT,
      expected: true,
    },
    { arn: 'arn:aws:s3:::amzn-s3-demo-bucket/*', template: S3_OBJECT, expected: true },
    { arn: 'arn:aws:s3:::amzn-s3-demo-bucket', template: S3_OBJECT, expected: false },
    // KMS Developer Guide, "Key ARN" example.
    {
      arn: 'arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      template: KMS_KEY,
      expected: true,
    },
    { arn: 'arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias', template: KMS_KEY, expected: false },
    // A region placeholder never spans a colon.
    { arn: 'arn:aws:kms:us:east:111122223333:key/k', template: KMS_KEY, expected: false },
  ];
  for (const c of cases) {
    it(`${c.arn} ${c.expected ? 'fits' : 'does not fit'} ${c.template}`, () => {
      assert.equal(arnMatchesTemplate(c.arn, c.template), c.expected);
    });
  }
});

describe('matchResourceTypes', () => {
  const catalog = getIamCatalog();
  const cases = [
    // S3 User Guide, "Policy resources for Amazon S3".
    { arn: 'arn:aws:s3:::amzn-s3-demo-bucket', service: 's3', expected: ['bucket'] },
    { arn: 'arn:aws:s3:::amzn-s3-demo-bucket/*', service: 's3', expected: ['object'] },
    {
      arn: 'arn:aws:s3:::amzn-s3-demo-bucket/developers/design_info.doc',
      service: 's3',
      expected: ['object'],
    },
    // IAM User Guide, "IAM identifiers" (role with a path).
    {
      arn: 'arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access',
      service: 'iam',
      expected: ['role'],
    },
    // DynamoDB Developer Guide, fine-grained access examples (table and index ARNs).
    { arn: 'arn:aws:dynamodb:us-west-2:123456789012:table/Books', service: 'dynamodb', expected: ['table'] },
    {
      arn: 'arn:aws:dynamodb:us-west-2:123456789012:table/Books/index/*',
      service: 'dynamodb',
      expected: ['index'],
    },
    // CloudWatch Logs User Guide: log group names may contain slashes; a stream ARN is not a group ARN.
    {
      arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-function:log-stream:2024/01/01',
      service: 'logs',
      expected: ['log-stream'],
    },
    {
      arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/my-function',
      service: 'logs',
      expected: ['log-group'],
    },
    // policy_sentry tutorial (docs/tutorial.md) secret ARN.
    {
      arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mysecret',
      service: 'secretsmanager',
      expected: ['Secret'],
    },
    // A KMS key ARN is none of S3's resource types.
    { arn: 'arn:aws:kms:us-east-2:111122223333:key/1234abcd', service: 's3', expected: [] },
  ];
  for (const c of cases) {
    it(`${c.arn} → ${c.expected.join(',') || 'none'}`, () => {
      const found = matchResourceTypes(c.arn, catalog.resourceTypesOf(c.service)).map((r) => r.name);
      assert.deepEqual(found, c.expected);
    });
  }

  it('recognises an ARN of another service among the candidates for an action', () => {
    const arn = 'arn:aws:kms:us-east-2:111122223333:key/1234abcd';
    const names = matchResourceTypes(arn, candidateResourceTypes('s3', arn)).map(
      (r) => `${r.service}:${r.name}`,
    );
    assert.deepEqual(names, ['kms:key']);
  });
});

describe('resourceTypesOfAction', () => {
  const catalog = getIamCatalog();
  const names = (id: string, scoping: boolean): string[] => {
    const info = catalog.action(id);
    assert.ok(info, id);
    return resourceTypesOfAction(info, { scoping }).map((r) => r.name);
  };

  it('keeps only required types when scoping (ec2:RunInstances requires image, instance, …)', () => {
    // Service Authorization Reference for EC2: RunInstances marks image, instance, network-interface,
    // security-group and subnet as required (*), the others optional.
    const scoped = names('ec2:RunInstances', true);
    for (const t of ['image', 'instance', 'network-interface', 'security-group', 'subnet'])
      assert.ok(scoped.includes(t));
    assert.ok(!scoped.includes('key-pair'));
    assert.ok(names('ec2:RunInstances', false).includes('key-pair'));
  });

  it('keeps all types when none is required, and none for wildcard-only actions', () => {
    assert.deepEqual(names('s3:GetObject', true).sort(), ['accesspointobject', 'object']);
    assert.deepEqual(names('s3:ListAllMyBuckets', true), []);
  });
});

describe('ARN shape helpers', () => {
  it('reads the service and checks the shape', () => {
    assert.equal(arnService('arn:aws:s3:::b'), 's3');
    assert.equal(arnService('s3:::b'), undefined);
    assert.equal(isArnShaped('arn:aws:s3:::b'), true);
    assert.equal(isArnShaped('arn:aws:s3'), false);
    assert.equal(isArnShaped('*'), false);
  });
});
