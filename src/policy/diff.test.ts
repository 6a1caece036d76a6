import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffPolicies, IMPLICIT_RESOURCE, type PolicyScorer } from './diff.ts';
import { expandActionPatterns } from './expand.ts';
import { parsePolicy } from './parse.ts';
import type { Policy } from './types.ts';

function policy(...statements: unknown[]): Policy {
  const parsed = parsePolicy({ Version: '2012-10-17', Statement: statements });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.error));
  return parsed.value.policy;
}

const OBJECTS = 'arn:aws:s3:::amzn-s3-demo-bucket/*';
const getObjects = { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS };

describe('diffPolicies: actions', () => {
  it('reports an added action with its access level and resources', () => {
    const d = diffPolicies(
      policy(getObjects),
      policy({ ...getObjects, Action: ['s3:GetObject', 's3:PutObject'] }),
    );
    assert.deepEqual(d.actionsAdded, [
      { action: 's3:PutObject', service: 's3', accessLevel: 'Write', resources: [OBJECTS] },
    ]);
    assert.deepEqual(d.actionsRemoved, []);
    assert.equal(d.unchanged, false);
    assert.equal(d.summary.split(';')[0], '+1 action (Write 1)');
  });

  it('compares after wildcard expansion', () => {
    // IAM User Guide, "Action" element: s3:Get* matches every S3 action beginning with Get.
    const d = diffPolicies(policy({ ...getObjects, Action: 's3:Get*' }), policy(getObjects));
    const removed = d.actionsRemoved.map((c) => c.action);
    assert.equal(removed.length, expandActionPatterns(['s3:Get*']).length - 1);
    assert.ok(removed.includes('s3:GetObjectAcl'));
    assert.ok(!removed.includes('s3:GetObject'));
    assert.ok(d.actionsRemoved.every((c) => c.accessLevel === 'Read' || c.accessLevel === 'List'));
  });

  it('treats case, order and single-string forms as no change', () => {
    const a = policy({ Effect: 'Allow', Action: ['S3:getobject', 's3:ListBucket'], Resource: [OBJECTS] });
    const b = policy({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject'], Resource: OBJECTS });
    const d = diffPolicies(a, b);
    assert.equal(d.unchanged, true);
    assert.equal(
      d.summary,
      `no change in granted access; score ${d.score?.before.score} → ${d.score?.after.score} (0)`,
    );
    assert.equal(d.score?.delta, 0);
  });
});

describe('diffPolicies: resources and conditions', () => {
  it('reports resources added and removed per action', () => {
    const d = diffPolicies(policy({ ...getObjects, Resource: '*' }), policy(getObjects));
    assert.deepEqual(d.resourceChanges, [
      { action: 's3:GetObject', accessLevel: 'Read', added: [OBJECTS], removed: ['*'] },
    ]);
  });

  it('groups a condition added to a statement into one change', () => {
    // IAM User Guide example "AWS: Denies access to AWS based on the source IP" uses aws:SourceIp.
    const condition = { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } };
    const before = policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: OBJECTS });
    const after = policy({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: OBJECTS,
      Condition: condition,
    });
    const d = diffPolicies(before, after, undefined, { scorer: null });
    assert.deepEqual(d.conditionChanges, [
      { actions: ['s3:GetObject', 's3:PutObject'], resource: OBJECTS, before: [{}], after: [{ condition }] },
    ]);
    assert.deepEqual(d.actionsAdded, []);
    assert.deepEqual(d.resourceChanges, []);
    assert.equal(d.score, undefined);
    assert.equal(d.summary, '1 condition change');
  });

  it('reports a changed trusted principal in a trust policy', () => {
    // IAM User Guide, "Creating a role to delegate permissions to an IAM user": trust another account.
    const trust = (account: string) => ({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'sts:AssumeRole',
    });
    const d = diffPolicies(policy(trust('111122223333')), policy(trust('444455556666')));
    assert.deepEqual(d.conditionChanges, [
      {
        actions: ['sts:AssumeRole'],
        resource: IMPLICIT_RESOURCE,
        before: [{ principal: { AWS: ['arn:aws:iam::111122223333:root'] } }],
        after: [{ principal: { AWS: ['arn:aws:iam::444455556666:root'] } }],
      },
    ]);
  });
});

describe('diffPolicies: deny statements and scores', () => {
  it('reports Deny changes separately', () => {
    const deny = { Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' };
    const d = diffPolicies(policy(getObjects), policy(getObjects, deny), undefined, { scorer: null });
    assert.deepEqual(d.actionsAdded, []);
    assert.deepEqual(
      d.deny.actionsAdded.map((c) => c.action),
      ['cloudtrail:StopLogging'],
    );
    assert.equal(d.unchanged, false);
    assert.equal(d.summary, 'Deny: +1/-0 actions');
  });

  it('expands NotAction before comparing', () => {
    // IAM User Guide, "NotAction": Allow with NotAction iam:* grants every non-IAM action.
    const before = policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    const after = policy({ Effect: 'Allow', NotAction: ['iam:*', 's3:*'], Resource: '*' });
    const d = diffPolicies(before, after);
    assert.deepEqual(
      d.actionsRemoved.map((c) => c.action),
      expandActionPatterns(['s3:*']).map((a) => a.action),
    );
  });

  it('scores both versions with the risk engine by default', () => {
    // Risk anchors (issue 3): a prefix-scoped s3:GetObject scores low; adding iam:* on * is privilege escalation.
    const before = policy(getObjects);
    const after = policy(getObjects, { Effect: 'Allow', Action: 'iam:*', Resource: '*' });
    const d = diffPolicies(before, after);
    assert.ok(d.score, 'scored');
    assert.ok(d.score.before.score <= 2, `before ${d.score.before.score}`);
    assert.ok(d.score.delta > 0, `delta ${d.score.delta}`);
    assert.equal(d.score.delta, d.score.after.score - d.score.before.score);
    assert.match(
      d.summary,
      new RegExp(`; score ${d.score.before.score} → ${d.score.after.score} \\(\\+${d.score.delta}\\)$`),
    );
  });

  it('adds the score delta from the scorer, with the context passed through', () => {
    const seen: unknown[] = [];
    const scorer: PolicyScorer = (p, context) => {
      seen.push(context);
      return { score: 2 + 3 * p.statements.length, band: 'low', factors: [], suggestions: [], summary: '' };
    };
    const context = { accessType: 'read-only' as const };
    const d = diffPolicies(
      policy(getObjects),
      policy(getObjects, { ...getObjects, Action: 's3:PutObject' }),
      context,
      {
        scorer,
      },
    );
    assert.equal(d.score?.before.score, 5);
    assert.equal(d.score?.after.score, 8);
    assert.equal(d.score?.delta, 3);
    assert.deepEqual(seen, [context, context]);
    assert.equal(d.summary, '+1 action (Write 1); score 5 → 8 (+3)');
  });
});
