import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accessLevelOf,
  type DraftInput,
  type DraftResult,
  draftPolicy,
  type PolicyDocumentStatement,
  pascalCase,
  WILDCARD_ONLY_SID,
} from './draft.ts';
import { expandActionPatterns } from './expand.ts';
import type { AccessLevel } from './types.ts';

const OBJECT_ARN = 'arn:aws:s3:::amzn-s3-demo-bucket/*';

function drafted(input: DraftInput): DraftResult {
  const result = draftPolicy(input);
  assert.ok(result.ok, `draft failed: ${JSON.stringify(!result.ok && result.error)}`);
  return result.value;
}

function statement(result: DraftResult, sid: string): PolicyDocumentStatement {
  const found = result.policy.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid} in ${result.policy.Statement.map((s) => s.Sid).join(', ')}`);
  return found;
}

function codes(input: DraftInput): string[] {
  const result = draftPolicy(input);
  assert.ok(!result.ok, 'draft should have been refused');
  return result.error.map((f) => `${f.code} ${f.path}`);
}

describe('draftPolicy from actions', () => {
  it('groups by service, access level and resource type with ARN templates (policy_sentry actions mode)', () => {
    // policy_sentry docs/writing-policies/actions-mode.md: the same four actions give KmsPermissionsmanagementKey,
    // Ec2WriteSecuritygroup and a wildcard-only statement for kms:CreateCustomKeyStore; our Sids are PascalCase
    // and unknown placeholders become `*` instead of staying `${Region}`.
    const result = drafted({
      actions: [
        'kms:CreateGrant',
        'kms:CreateCustomKeyStore',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
      ],
    });
    assert.deepEqual(result.policy, {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Ec2WriteSecurityGroup',
          Effect: 'Allow',
          Action: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress'],
          Resource: ['arn:aws:ec2:*:*:security-group/*'],
        },
        {
          Sid: 'KmsPermissionsManagementKey',
          Effect: 'Allow',
          Action: ['kms:CreateGrant'],
          Resource: ['arn:aws:kms:*:*:key/*'],
        },
        { Sid: WILDCARD_ONLY_SID, Effect: 'Allow', Action: ['kms:CreateCustomKeyStore'], Resource: '*' },
      ],
    });
    assert.ok(result.notes.some((n) => n.includes('arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}')));
    assert.ok(result.notes.some((n) => n.includes('Partition defaulted')));
  });

  it('puts supplied bucket and object ARNs on the actions they fit (IAM User Guide S3 read/write example)', () => {
    // IAM User Guide, "Amazon S3: Allows read and write access to objects in an S3 bucket".
    const result = drafted({
      actions: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'],
    });
    assert.deepEqual(result.policy.Statement, [
      {
        Sid: 'S3ListBucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: ['arn:aws:s3:::amzn-s3-demo-bucket'],
      },
      {
        Sid: 'S3ReadObject',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::amzn-s3-demo-bucket/*'],
      },
      {
        Sid: 'S3WriteObject',
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:PutObject'],
        Resource: ['arn:aws:s3:::amzn-s3-demo-bucket/*'],
      },
    ]);
    assert.deepEqual(result.notes, []);
  });

  it('fills region, account and partition into templates', () => {
    const result = drafted({
      actions: ['dynamodb:GetItem'],
      region: 'cn-north-1',
      accountId: '111122223333',
      partition: 'aws-cn',
    });
    assert.deepEqual(statement(result, 'DynamodbReadTable').Resource, [
      'arn:aws-cn:dynamodb:cn-north-1:111122223333:table/*',
    ]);
    assert.ok(!result.notes.some((n) => n.includes('Partition defaulted')));
  });

  it('templates the required resource types no supplied ARN fits (ec2:RunInstances)', () => {
    // Service Authorization Reference (EC2): RunInstances requires image, instance, network-interface,
    // security-group and subnet; an instance ARN alone leaves the others to fill in.
    const result = drafted({
      actions: ['ec2:RunInstances'],
      resources: ['arn:aws:ec2:us-east-1:111122223333:instance/*'],
      region: 'us-east-1',
    });
    assert.deepEqual(statement(result, 'Ec2WriteInstance').Resource, [
      'arn:aws:ec2:us-east-1:111122223333:instance/*',
    ]);
    assert.deepEqual(statement(result, 'Ec2WriteSubnet').Resource, ['arn:aws:ec2:us-east-1:*:subnet/*']);
    for (const sid of ['Ec2WriteImage', 'Ec2WriteNetworkInterface', 'Ec2WriteSecurityGroup'])
      statement(result, sid);
    assert.ok(
      !result.policy.Statement.some((s) => s.Sid === 'Ec2WriteKeyPair'),
      'optional key-pair not granted',
    );
  });

  it('expands wildcard action patterns', () => {
    const result = drafted({ actions: ['sqs:Get*'] });
    const granted = result.policy.Statement.flatMap((s) => s.Action ?? []);
    assert.deepEqual(
      [...granted].sort(),
      expandActionPatterns(['sqs:Get*']).map((a) => a.action),
    );
    assert.ok(granted.includes('sqs:GetQueueAttributes'));
  });

  it('warns when the draft exceeds the managed policy size quota', () => {
    // IAM User Guide, "IAM and AWS STS quotas": managed policies up to 6,144 characters without whitespace.
    const big = drafted({ service: 'ec2', accessLevels: ['Write'] });
    assert.ok(big.notes.some((n) => /IAM allows 6144 in a managed policy/.test(n)));
    assert.ok(!drafted({ actions: ['s3:GetObject'] }).notes.some((n) => /IAM allows/.test(n)));
  });

  it('notes supplied ARNs that fit none of the actions', () => {
    const result = drafted({
      actions: ['s3:GetObject'],
      resources: ['arn:aws:sqs:us-east-1:111122223333:queue1'],
    });
    assert.ok(
      result.notes.some((n) =>
        n.startsWith('arn:aws:sqs:us-east-1:111122223333:queue1 fits no resource type'),
      ),
    );
    assert.deepEqual(statement(result, 'S3ReadObject').Resource, ['arn:aws:s3:::*/*']);
  });
});

describe('draftPolicy from a service and access levels (policy_sentry CRUD mode)', () => {
  // policy_sentry docs/tutorial.md: read/write on one SSM parameter, tagging and permissions management on a secret.
  const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/myparameter';
  const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mysecret';

  it('grants only the actions of those levels that apply to the supplied ARNs', () => {
    const result = drafted({ service: 'ssm', accessLevels: ['Read', 'Write'], resources: [parameter] });
    const read = statement(result, 'SsmReadParameter');
    for (const a of [
      'ssm:GetParameter',
      'ssm:GetParameterHistory',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
    ]) {
      assert.ok((read.Action as string[]).includes(a), a);
    }
    assert.deepEqual(read.Resource, [parameter]);
    const write = statement(result, 'SsmWriteParameter').Action as string[];
    for (const a of [
      'ssm:DeleteParameter',
      'ssm:DeleteParameters',
      'ssm:LabelParameterVersion',
      'ssm:PutParameter',
    ]) {
      assert.ok(write.includes(a), a);
    }
    assert.ok(!result.policy.Statement.some((s) => s.Sid === WILDCARD_ONLY_SID));
    assert.ok(result.notes.some((n) => /left out/.test(n)));
  });

  it('accepts policy_sentry level names (tagging, permissions-management)', () => {
    const result = drafted({
      service: 'secretsmanager',
      accessLevels: ['tagging', 'permissions-management'] as unknown as AccessLevel[],
      resources: [secret],
    });
    assert.deepEqual(statement(result, 'SecretsmanagerTaggingSecret').Action, [
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
    ]);
    // The IAM reference has since added secretsmanager:ValidateResourcePolicy at this level.
    const pm = statement(result, 'SecretsmanagerPermissionsManagementSecret').Action as string[];
    for (const a of ['secretsmanager:DeleteResourcePolicy', 'secretsmanager:PutResourcePolicy'])
      assert.ok(pm.includes(a), a);
    assert.deepEqual(statement(result, 'SecretsmanagerPermissionsManagementSecret').Resource, [secret]);
  });

  it('without resources, templates every resource type and keeps wildcard-only actions', () => {
    const result = drafted({ service: 's3', accessLevels: ['List'] });
    assert.ok((statement(result, WILDCARD_ONLY_SID).Action as string[]).includes('s3:ListAllMyBuckets'));
    assert.deepEqual(statement(result, 'S3ListBucket').Resource, ['arn:aws:s3:::*']);
  });
});

describe('draftPolicy read-only access', () => {
  it('refuses write actions, naming them', () => {
    const result = draftPolicy({ actions: ['s3:GetObject', 's3:PutObject'], accessType: 'read-only' });
    assert.ok(!result.ok);
    assert.deepEqual(result.error, [
      {
        code: 'ReadOnlyViolation',
        severity: 'error',
        message: 's3:PutObject is a Write action; read-only access refuses it.',
        path: '/actions/1',
      },
    ]);
  });

  it('refuses patterns that reach beyond List and Read, and such access levels', () => {
    assert.deepEqual(codes({ actions: ['s3:*'], accessType: 'read-only' }), ['ReadOnlyViolation /actions/0']);
    assert.deepEqual(codes({ actions: ['iam:PutRolePolicy'], accessType: 'read-only' }), [
      'ReadOnlyViolation /actions/0',
    ]);
    assert.deepEqual(codes({ service: 's3', accessLevels: ['Read', 'Tagging'], accessType: 'read-only' }), [
      'ReadOnlyViolation /accessLevels/1',
    ]);
  });

  it('accepts List and Read, including patterns of only those levels', () => {
    const result = drafted({ actions: ['s3:GetObject', 'ec2:Describe*'], accessType: 'read-only' });
    assert.ok(result.policy.Statement.length > 0);
  });
});

describe('draftPolicy dependent actions', () => {
  it('adds them only when asked, with the AWS source in a note', () => {
    const without = drafted({ actions: ['s3:GetObject'] });
    assert.ok(!without.policy.Statement.some((s) => (s.Action as string[]).includes('kms:Decrypt')));
    const withDeps = drafted({
      actions: ['s3:GetObject'],
      includeDependentActions: true,
      accessType: 'read-only',
    });
    assert.deepEqual(statement(withDeps, 'KmsWriteKey').Action, ['kms:Decrypt']);
    assert.ok(
      withDeps.notes.some(
        (n) => n.startsWith('Added kms:Decrypt: s3:GetObject needs it') && n.includes('https://'),
      ),
    );
  });

  it('scopes an added KMS action to a supplied key ARN', () => {
    // KMS Developer Guide, "Key ARN" example.
    const key = 'arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const result = drafted({
      actions: ['s3:PutObject'],
      resources: [OBJECT_ARN, key],
      includeDependentActions: true,
    });
    assert.deepEqual(statement(result, 'KmsWriteKey'), {
      Sid: 'KmsWriteKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [key],
    });
    assert.deepEqual(statement(result, 'S3WriteObject').Resource, [OBJECT_ARN]);
    assert.ok(!result.notes.some((n) => n.includes('fits no resource type')));
  });

  it('adds iam:PassRole for lambda:CreateFunction, scoped to a supplied role', () => {
    const role = 'arn:aws:iam::123456789012:role/LambdaExecutionRole';
    const result = drafted({
      actions: ['lambda:CreateFunction'],
      resources: [role],
      includeDependentActions: true,
    });
    assert.deepEqual(statement(result, 'IamWriteRole'), {
      Sid: 'IamWriteRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [role],
    });
  });
});

describe('draftPolicy refusals', () => {
  const cases: { name: string; input: DraftInput; expected: string[] }[] = [
    { name: 'unknown action', input: { actions: ['s3:GetObjekt'] }, expected: ['UnknownAction /actions/0'] },
    {
      name: 'pattern matching nothing',
      input: { actions: ['s3:Frobnicate*'] },
      expected: ['UnknownAction /actions/0'],
    },
    { name: 'empty action', input: { actions: [''] }, expected: ['InvalidAction /actions/0'] },
    {
      name: 'unknown service',
      input: { service: 'nosuch', accessLevels: ['Read'] },
      expected: ['UnknownService /service'],
    },
    {
      name: 'levels without service',
      input: { accessLevels: ['Read'] },
      expected: ['MissingService /service'],
    },
    {
      name: 'service without levels',
      input: { service: 's3' },
      expected: ['MissingAccessLevels /accessLevels'],
    },
    {
      name: 'unknown level',
      input: { service: 's3', accessLevels: ['Delete' as AccessLevel] },
      expected: ['UnknownAccessLevel /accessLevels/0'],
    },
    {
      name: 'malformed ARN and bare *',
      input: { actions: ['s3:GetObject'], resources: ['bucket/key', '*'] },
      expected: ['MalformedArn /resources/0', 'MalformedArn /resources/1'],
    },
    { name: 'nothing asked', input: {}, expected: ['EmptyDraft '] },
    {
      name: 'lists that are not lists (JSON from the API)',
      input: { actions: 's3:GetObject', resources: 'arn:aws:s3:::b' } as unknown as DraftInput,
      expected: ['InvalidInput /resources', 'InvalidInput /actions'],
    },
    {
      name: 'access levels that are not a list',
      input: { service: 's3', accessLevels: 'Read' } as unknown as DraftInput,
      expected: ['InvalidInput /accessLevels'],
    },
    {
      name: 'levels with nothing fitting the resources',
      input: { service: 'sqs', accessLevels: ['Read'], resources: ['arn:aws:s3:::b'] },
      expected: ['EmptyDraft /resources'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(codes(c.input), c.expected));
  }
});

describe('accessLevelOf and pascalCase', () => {
  const levels: [string, AccessLevel | undefined][] = [
    ['read', 'Read'],
    ['Permissions management', 'Permissions management'],
    ['permissions-management', 'Permissions management'],
    // The IAM data gives some actions two levels, the specific one first.
    ['Tagging, Write', 'Tagging'],
    ['Permissions management, Write', 'Permissions management'],
    ['delete', undefined],
  ];
  for (const [raw, expected] of levels)
    it(`${raw} → ${expected}`, () => assert.equal(accessLevelOf(raw), expected));

  it('builds readable Sid parts', () => {
    assert.equal(pascalCase('ec2 Write network-interface'), 'Ec2WriteNetworkInterface');
    assert.equal(pascalCase('kms Permissions management key'), 'KmsPermissionsManagementKey');
  });
});
