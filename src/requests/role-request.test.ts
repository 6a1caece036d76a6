import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBrokerError } from '../lib/errors.ts';
import { parseDuration, parseRoleRequest } from './role-request.ts';

const YAML = `apiVersion: iam-jit.dev/v1alpha1
kind: RoleRequest
metadata:
  name: debug-orders
spec:
  accounts: ["111122223333"]
  duration: 2h
  access_type: read-only
  description: Investigate the orders bucket
  task_intent:
    actions: [s3:GetObject, s3:ListBucket]
  resource_constraints: ["arn:aws:s3:::orders", "arn:aws:s3:::orders/*"]
  ticket: OPS-42
  tags: { team: payments }
`;

test('a YAML RoleRequest maps to a submission', () => {
  assert.deepEqual(parseRoleRequest(YAML), {
    accountIds: ['111122223333'],
    spec: {
      type: 'actions',
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'],
    },
    accessType: 'read-only',
    justification: 'Investigate the orders bucket',
    durationHours: 2,
    ticket: 'OPS-42',
    tags: { team: 'payments' },
  });
});

test('a JSON RoleRequest with a policy', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  };
  const input = parseRoleRequest(
    JSON.stringify({
      apiVersion: 'iam-jit.dev/v1alpha1',
      kind: 'RoleRequest',
      spec: { accounts: ['111122223333'], duration: 90, policy, description: 'x' },
    }),
  );
  assert.deepEqual(input.spec, { type: 'policy', policy });
  assert.equal(input.durationHours, 90);
});

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isBrokerError(e, 'InvalidInput')) return (e.details as { field: string }).field;
    throw e;
  }
  return undefined;
}

test('unknown fields are refused with their path', () => {
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('  ticket: OPS-42', '  tiket: OPS-42'))),
    'spec.tiket',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest(`${YAML}status: done\n`)),
    'status',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('    actions:', '    verbs: [x]\n    actions:'))),
    'spec.task_intent.verbs',
  );
});

test('wrong apiVersion, kind, both policy and intent, bad duration', () => {
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('v1alpha1', 'v2'))),
    'apiVersion',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('kind: RoleRequest', 'kind: Role'))),
    'kind',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('  ticket:', '  policy: "{}"\n  ticket:'))),
    'spec',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest(YAML.replace('duration: 2h', 'duration: soon'))),
    'spec.duration',
  );
  assert.equal(
    fieldOf(() => parseRoleRequest('a: [')),
    '',
  );
});

test('durations: hours, minutes, days, combinations', () => {
  assert.equal(parseDuration('4h'), 4);
  assert.equal(parseDuration('90m'), 1.5);
  assert.equal(parseDuration('1h30m'), 1.5);
  assert.equal(parseDuration('1d'), 24);
  assert.equal(parseDuration('3'), 3);
});
