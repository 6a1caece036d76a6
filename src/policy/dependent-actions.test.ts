import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPENDENT_ACTION_RULES, dependentActionsFor } from './dependent-actions.ts';
import { getIamCatalog } from './iam-catalog.ts';

describe('DEPENDENT_ACTION_RULES', () => {
  const catalog = getIamCatalog();
  for (const rule of DEPENDENT_ACTION_RULES) {
    it(`${rule.action} → ${rule.requires.join(', ')} names catalog actions and an AWS source`, () => {
      assert.ok(catalog.action(rule.action), `${rule.action} is in the IAM catalog`);
      for (const dep of rule.requires) assert.ok(catalog.action(dep), `${dep} is in the IAM catalog`);
      assert.match(rule.source, /^https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
    });
  }
});

describe('dependentActionsFor', () => {
  const cases = [
    // AWS re:Post knowledge center: downloading SSE-KMS objects needs kms:Decrypt.
    { actions: ['s3:GetObject'], expected: ['kms:Decrypt'] },
    // Lambda Developer Guide, execution role: CreateFunction passes the role.
    { actions: ['lambda:createfunction'], expected: ['iam:PassRole'] },
    // SQS Developer Guide, key management: producers need GenerateDataKey and Decrypt.
    {
      actions: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
      expected: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Decrypt'],
    },
    // Already granted dependents are not repeated.
    { actions: ['s3:GetObject', 'kms:decrypt'], expected: [] },
    { actions: ['s3:ListBucket'], expected: [] },
  ];
  for (const c of cases) {
    it(`${c.actions.join(', ')} → ${c.expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(
        dependentActionsFor(c.actions).map((d) => d.action),
        c.expected,
      );
    });
  }

  it('says which action needs the dependent, when, and where AWS documents it', () => {
    const [dep] = dependentActionsFor(['ec2:runinstances']);
    assert.deepEqual(dep, {
      action: 'iam:PassRole',
      requiredBy: 'ec2:RunInstances',
      when: 'when launching with an instance profile',
      source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
    });
  });
});
