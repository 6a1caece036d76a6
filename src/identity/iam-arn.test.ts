// ARN shapes from the IAM User Guide, "IAM identifiers" (ARN examples for users, roles and assumed-role sessions)
// and the STS API reference, GetCallerIdentity (the Arn element of each response example).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePrincipalArn } from './iam-arn.ts';

const cases: { name: string; input: string; expected: string | null; source: string }[] = [
  {
    name: 'assumed-role session → role, session name dropped',
    input: 'arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name',
    expected: 'arn:aws:iam::123456789012:role/my-role-name',
    source: 'STS API reference, GetCallerIdentity example (assumed role)',
  },
  {
    name: 'SSO permission-set session with an email as session name',
    input: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
    expected: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef',
    source: 'IAM Identity Center user guide, roles created for permission sets',
  },
  {
    name: 'role ARN stays as it is',
    input: 'arn:aws:iam::123456789012:role/S3Access',
    expected: 'arn:aws:iam::123456789012:role/S3Access',
    source: 'IAM identifiers, role ARN example',
  },
  {
    name: 'role path dropped (assumed-role ARNs never carry it)',
    input: 'arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access',
    expected: 'arn:aws:iam::123456789012:role/S3Access',
    source: 'IAM identifiers, role with path example',
  },
  {
    name: 'IAM user with a path',
    input: 'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe',
    expected: 'arn:aws:iam::123456789012:user/JaneDoe',
    source: 'IAM identifiers, user with path example',
  },
  {
    name: 'GovCloud partition kept',
    input: 'arn:aws-us-gov:sts::123456789012:assumed-role/Ops/s1',
    expected: 'arn:aws-us-gov:iam::123456789012:role/Ops',
    source: 'AWS General Reference, ARN partitions',
  },
  {
    name: 'root user refused',
    input: 'arn:aws:iam::123456789012:root',
    expected: null,
    source: 'IAM identifiers',
  },
  {
    name: 'federated user refused',
    input: 'arn:aws:sts::123456789012:federated-user/Bob',
    expected: null,
    source: 'STS API reference, GetFederationToken',
  },
  { name: 'short account id', input: 'arn:aws:iam::12345:role/X', expected: null, source: 'ARN format' },
  {
    name: 'region present',
    input: 'arn:aws:iam:us-east-1:123456789012:role/X',
    expected: null,
    source: 'ARN format',
  },
  {
    name: 'unknown partition',
    input: 'arn:aws-xx:iam::123456789012:role/X',
    expected: null,
    source: 'ARN format',
  },
  {
    name: 'assumed-role without session',
    input: 'arn:aws:sts::123456789012:assumed-role/X',
    expected: null,
    source: 'ARN format',
  },
  { name: 'not an ARN', input: 'Devops', expected: null, source: '—' },
  {
    name: 'role name with space',
    input: 'arn:aws:iam::123456789012:role/Dev ops',
    expected: null,
    source: 'CreateRole RoleName pattern [\\w+=,.@-]+',
  },
];

for (const c of cases) {
  test(`normalizePrincipalArn: ${c.name}`, () => {
    const r = normalizePrincipalArn(c.input);
    if (c.expected === null) assert.equal(r.ok, false);
    else assert.deepEqual(r, { ok: true, value: c.expected });
  });
}
