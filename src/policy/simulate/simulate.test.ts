// The shape of simulation results: reasons, details per policy type, near misses, warnings.
// Source for the logic: IAM User Guide, "Policy evaluation logic"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policyFromJson } from './corpus.ts';
import { simulate } from './simulate.ts';

const USER = 'arn:aws:iam::111122223333:user/alice';
const tlsOnly = policyFromJson([
  {
    Sid: 'ReadOverTls',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: { Bool: { 'aws:SecureTransport': 'true' } },
  },
]);

test('an implicit deny names the statement whose conditions did not hold', () => {
  const r = simulate({
    identityPolicies: [tlsOnly],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      principal: USER,
      context: { 'aws:SecureTransport': 'false' },
    },
  });
  assert.equal(r.decision, 'ImplicitlyDenied');
  assert.deepEqual(r.deciding, []);
  assert.equal(
    r.reason,
    'Implicitly denied: no identity-based policy allows s3:GetObject on arn:aws:s3:::b/k (identity-based policy 0 statement 0 (ReadOverTls) matched but its conditions do not hold).',
  );
  assert.deepEqual(r.details.identity.conditionMisses, [
    { policy: 'identity', policyIndex: 0, statementIndex: 0, sid: 'ReadOverTls' },
  ]);
  assert.equal(r.details.identity.outcome, 'ImplicitDeny');
  assert.equal(r.details.boundary.outcome, 'NotPresent');
});

test('details report every policy type; deciding lists the allows relied on', () => {
  const r = simulate({
    identityPolicies: [tlsOnly],
    permissionsBoundary: policyFromJson([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
    scps: [policyFromJson([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      principal: USER,
      context: { 'aws:SecureTransport': 'true' },
    },
  });
  assert.equal(r.decision, 'Allowed');
  assert.deepEqual(
    r.deciding.map((d) => d.policy),
    ['identity', 'boundary', 'scp'],
  );
  assert.deepEqual(Object.fromEntries(Object.entries(r.details).map(([type, d]) => [type, d.outcome])), {
    identity: 'Allow',
    boundary: 'Allow',
    scp: 'Allow',
    rcp: 'NotPresent',
    resource: 'NotPresent',
    session: 'NotPresent',
  });
  assert.equal(r.crossAccount, false);
  assert.equal(
    r.reason,
    'Allowed by identity-based policy 0 statement 0 (ReadOverTls), permissions boundary statement 0.',
  );
});

test('an explicit deny lists every matching deny statement across policy types', () => {
  const denyAll = policyFromJson([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
  const r = simulate({
    identityPolicies: [denyAll],
    sessionPolicies: [denyAll],
    request: {
      action: 'iam:CreateUser',
      resource: '*',
      principal: 'arn:aws:sts::111122223333:assumed-role/r/s',
    },
  });
  assert.equal(r.decision, 'ExplicitlyDenied');
  assert.deepEqual(
    r.deciding.map((d) => d.policy),
    ['identity', 'session'],
  );
});

test('the same policy objects give the same answers on repeated calls (compiled once, cached)', () => {
  const input = {
    identityPolicies: [tlsOnly],
    request: {
      action: 'S3:GETOBJECT',
      resource: 'arn:aws:s3:::b/k',
      principal: USER,
      context: { 'aws:SecureTransport': 'true' },
    },
  };
  const first = simulate(input);
  for (let i = 0; i < 3; i++) assert.deepEqual(simulate(input), first);
  assert.equal(first.decision, 'Allowed');
});

test('implicit-deny reasons name the gate that did not allow', () => {
  const allowAll = policyFromJson([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  const queue = 'arn:aws:sqs:us-east-1:111122223333:q';
  const cross = simulate({
    identityPolicies: [allowAll],
    request: {
      action: 'sqs:SendMessage',
      resource: queue,
      principal: 'arn:aws:iam::444455556666:user/carol',
    },
  });
  assert.equal(cross.crossAccount, true);
  assert.match(cross.reason, /^Implicitly denied: cross-account access needs the resource-based policy/);
  const fed = simulate({
    identityPolicies: [allowAll],
    request: {
      action: 's3:GetObject',
      resource: '*',
      principal: 'arn:aws:sts::111122223333:federated-user/bob',
    },
  });
  assert.equal(
    fed.reason,
    'Implicitly denied: a federated-user session without a session policy has no permissions.',
  );
  const scp = simulate({
    identityPolicies: [allowAll],
    scps: [[policyFromJson([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])]],
    request: { action: 'ec2:RunInstances', resource: '*', principal: USER },
  });
  assert.equal(
    scp.reason,
    'Implicitly denied: no SCP allows ec2:RunInstances on * at every level of the organization.',
  );
});

test('a context given as a Map is read exactly as the same record: keys case-insensitive, the later one winning', () => {
  const tagged = policyFromJson([
    {
      Effect: 'Allow',
      Action: 'iam:DeleteRole',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:ResourceTag/managed-by': 'iam-jit' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] },
      },
    },
  ]);
  const ask = (context: Record<string, string | string[]> | Map<string, string | string[]>) =>
    simulate({
      identityPolicies: [tagged],
      request: {
        action: 'iam:DeleteRole',
        resource: 'arn:aws:iam::111122223333:role/r',
        principal: USER,
        context,
      },
    });
  const cases: Array<Array<[string, string | string[]]>> = [
    [
      ['aws:ResourceTag/managed-by', 'iam-jit'],
      ['aws:TagKeys', ['a']],
    ],
    [
      ['AWS:RESOURCETAG/MANAGED-BY', 'iam-jit'],
      ['aws:TagKeys', ['a', 'c']],
    ],
    [
      ['aws:ResourceTag/managed-by', 'other'],
      ['aws:resourcetag/managed-by', 'iam-jit'],
    ],
    [
      ['aws:resourcetag/managed-by', 'iam-jit'],
      ['aws:ResourceTag/managed-by', 'other'],
    ],
    [],
  ];
  for (const entries of cases) {
    const viaMap = ask(new Map(entries));
    assert.deepEqual(viaMap, ask(Object.fromEntries(entries)), JSON.stringify(entries));
  }
  assert.equal(ask(new Map(cases[0])).decision, 'Allowed');
  assert.equal(ask(new Map(cases[1])).decision, 'ImplicitlyDenied');
  assert.equal(ask(new Map(cases[2])).decision, 'Allowed');
  assert.equal(ask(new Map(cases[3])).decision, 'ImplicitlyDenied');
});
