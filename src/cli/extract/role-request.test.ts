import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPolicies } from './extract.ts';

// The established RoleRequest document (apiVersion iam-jit.dev/v1alpha1), as existing request files write it.
const WITH_POLICY = `apiVersion: iam-jit.dev/v1alpha1
kind: RoleRequest
metadata:
  name: read-reports
spec:
  accounts: ["111122223333"]
  duration: 2h
  description: Investigate the failed nightly report
  policy:
    Version: '2012-10-17'
    Statement:
      - Effect: Allow
        Action: s3:GetObject
        Resource: arn:aws:s3:::reports/*
`;

test('RoleRequest: spec.policy is extracted and locatable', () => {
  const { policies, errors } = extractPolicies('request.yaml', WITH_POLICY);
  assert.deepEqual(errors, []);
  assert.equal(policies.length, 1);
  const p = policies[0];
  assert.ok(p);
  assert.equal(p?.name, 'request.yaml#spec/policy');
  assert.equal(p?.source, 'role-request');
  assert.equal(p?.kind, 'identity');
  assert.deepEqual((p.document as { Statement: { Action: string }[] }).Statement[0]?.Action, 's3:GetObject');
  assert.equal(p?.locate('/Statement/0').line, 12);
});

test('RoleRequest: task_intent is drafted as a submission would be', () => {
  const text = WITH_POLICY.replace(
    / {2}policy:[\s\S]*$/,
    '  task_intent:\n    actions: [s3:GetObject]\n  resource_constraints: ["arn:aws:s3:::reports/*"]\n',
  );
  const { policies, errors } = extractPolicies('request.yaml', text);
  assert.deepEqual(errors, []);
  assert.equal(policies[0]?.name, 'request.yaml#spec/task_intent');
  const doc = policies[0]?.document as { Statement: { Action: string[]; Resource: string[] }[] };
  assert.deepEqual(
    doc.Statement.flatMap((s) => s.Action),
    ['s3:GetObject'],
  );
  assert.deepEqual(
    doc.Statement.flatMap((s) => s.Resource),
    ['arn:aws:s3:::reports/*'],
  );
});

test('RoleRequest: an unknown field is refused with its path and line', () => {
  const text = WITH_POLICY.replace('  duration: 2h', '  durration: 2h');
  const { policies, errors } = extractPolicies('request.yaml', text);
  assert.deepEqual(policies, []);
  assert.deepEqual(errors, [
    { file: 'request.yaml', line: 7, column: 14, message: 'RoleRequest spec.durration: unknown field' },
  ]);
});

test('RoleRequest: unknown actions in task_intent are reported', () => {
  const text = WITH_POLICY.replace(/ {2}policy:[\s\S]*$/, '  task_intent:\n    actions: [s3:GetObjekt]\n');
  const { policies, errors } = extractPolicies('request.yaml', text);
  assert.deepEqual(policies, []);
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /^RoleRequest task_intent: .*s3:GetObjekt/);
});
