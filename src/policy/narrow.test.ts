import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandActionPatterns } from './expand.ts';
import { MAX_EXPLICIT_ACTIONS, narrowPolicy, policyToDocument, suggestNarrowing } from './narrow.ts';
import { parsePolicy } from './parse.ts';
import type { Policy } from './types.ts';

function policy(doc: unknown): Policy {
  const parsed = parsePolicy(doc);
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.error));
  return parsed.value.policy;
}

const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const OBJECTS = 'arn:aws:s3:::amzn-s3-demo-bucket/*';

describe('suggestNarrowing with recorded usage', () => {
  // The broad starting point the IAM User Guide warns against ("Grant least privilege"), narrowed to what was used.
  const broad = policy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
  });

  it('replaces a service wildcard by exactly the used actions and * by their resources', () => {
    const suggestions = suggestNarrowing(broad, {
      usedActions: ['s3:getobject', 's3:ListBucket', 'sqs:SendMessage'],
      resources: [BUCKET, OBJECTS],
    });
    assert.deepEqual(
      suggestions.map((s) => [s.statementIndex, s.kind, s.replacement]),
      [
        [0, 'action', ['s3:GetObject', 's3:ListBucket']],
        [0, 'resource', [OBJECTS, BUCKET]],
      ],
    );
    assert.match(suggestions[0]?.message ?? '', /recorded usage needs 2/);
  });

  it('rewrites the policy (IAM User Guide S3 bucket example shape)', () => {
    const doc = narrowPolicy(broad, {
      usedActions: ['s3:GetObject', 's3:ListBucket'],
      resources: [BUCKET, OBJECTS],
    });
    assert.deepEqual(doc, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [OBJECTS, BUCKET] },
      ],
    });
  });

  it('drops statements none of whose actions was used, and narrows even literal lists', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Unused', Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
        { Sid: 'Logs', Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:DeleteLogGroup'], Resource: '*' },
      ],
    });
    const used = { usedActions: ['logs:PutLogEvents'] };
    const suggestions = suggestNarrowing(p, used);
    assert.deepEqual(suggestions[0]?.replacement, []);
    assert.match(suggestions[0]?.message ?? '', /none was used; remove it/);
    const doc = narrowPolicy(p, used);
    assert.deepEqual(
      doc.Statement.map((s) => [s.Sid, s.Action]),
      [['Logs', ['logs:PutLogEvents']]],
    );
    // Service Authorization Reference (CloudWatch Logs): PutLogEvents acts on log-stream.
    assert.deepEqual(doc.Statement[0]?.Resource, ['arn:aws:logs:*:*:log-group:*:log-stream:*']);
  });

  it('narrows the full wildcard "*" when usage is known', () => {
    const p = policy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
    const [act] = suggestNarrowing(p, { usedActions: ['sts:getcalleridentity', 'sts:GetSessionTok*'] });
    assert.deepEqual(act?.replacement, ['sts:GetCallerIdentity', 'sts:GetSessionToken']);
  });
});

describe('suggestNarrowing without usage', () => {
  it('lists what a wildcard expands to and offers access-level alternatives', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }],
    });
    const [act, res] = suggestNarrowing(p);
    assert.equal(act?.kind, 'action');
    assert.deepEqual(
      act?.replacement,
      expandActionPatterns(['sqs:*']).map((a) => a.action),
    );
    const readOnly = act?.alternatives?.find((a) => a.label.startsWith('read-only'));
    assert.ok(readOnly?.actions.includes('sqs:ReceiveMessage'));
    assert.ok(!readOnly?.actions.includes('sqs:DeleteQueue'));
    assert.ok(!act?.alternatives?.[1]?.actions.includes('sqs:SetQueueAttributes'), 'PM action left out');
    // SQS queue ARN template (Service Authorization Reference): arn:${Partition}:sqs:${Region}:${Account}:${QueueName}.
    assert.equal(res?.kind, 'resource');
    assert.deepEqual(res?.replacement, ['arn:aws:sqs:*:*:*']);
    assert.deepEqual(res?.keepWildcardFor, ['sqs:ListQueues']);
  });

  it('fills templates from region and account', () => {
    const p = policy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }],
    });
    const [res] = suggestNarrowing(p, { region: 'us-west-2', accountId: '123456789012' });
    assert.deepEqual(res?.replacement, ['arn:aws:dynamodb:us-west-2:123456789012:table/*']);
  });

  it('splits actions that support only "*" into their own statement, keeping conditions', () => {
    const condition = { Bool: { 'aws:SecureTransport': 'true' } };
    const p = policy({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Console',
          Effect: 'Allow',
          Action: ['s3:ListAllMyBuckets', 's3:GetObject'],
          Resource: '*',
          Condition: condition,
        },
      ],
    });
    const doc = narrowPolicy(p, { resources: [OBJECTS] });
    assert.deepEqual(doc.Statement, [
      {
        Sid: 'Console',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [OBJECTS],
        Condition: { Bool: { 'aws:SecureTransport': ['true'] } },
      },
      {
        Sid: 'ConsoleWildcardOnly',
        Effect: 'Allow',
        Action: ['s3:ListAllMyBuckets'],
        Resource: ['*'],
        Condition: { Bool: { 'aws:SecureTransport': ['true'] } },
      },
    ]);
  });

  const untouched = [
    {
      name: 'Deny statements (narrowing a Deny widens access)',
      doc: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
    },
    {
      name: 'NotAction statements',
      doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
    },
    {
      name: 'literal actions on specific resources',
      doc: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }],
      },
    },
    {
      name: `wildcards too broad to list (over ${MAX_EXPLICIT_ACTIONS} actions) on wildcard-only actions`,
      doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
    {
      name: 'Resource "*" on actions that support only "*"',
      doc: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
      },
    },
  ];
  for (const c of untouched) {
    it(`leaves alone ${c.name}`, () => {
      const p = policy(c.doc);
      assert.deepEqual(suggestNarrowing(p), []);
      assert.deepEqual(narrowPolicy(p), policyToDocument(p));
    });
  }
});

describe('policyToDocument', () => {
  it('writes the normalised policy back as IAM JSON', () => {
    const p = policy({
      Version: '2012-10-17',
      Id: 'x',
      Statement: {
        Sid: 'Trust',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    });
    assert.deepEqual(policyToDocument(p), {
      Version: '2012-10-17',
      Id: 'x',
      Statement: [
        {
          Sid: 'Trust',
          Effect: 'Allow',
          Principal: { Service: ['lambda.amazonaws.com'] },
          Action: ['sts:AssumeRole'],
        },
      ],
    });
  });
});
