import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy, RiskContext, RiskReview } from '../policy/types.ts';
import { analysePolicies, type PolicyEngine } from './analyse.ts';
import { extractPolicies } from './extract/extract.ts';
import { canonicalJson, fingerprintPolicy, fingerprintPolicySet } from './report.ts';

/** Records what the CLI passed to the scorer; the real scorer is exercised end to end in test/cli.test.ts. */
function recordingEngine(): { engine: PolicyEngine; contexts: (RiskContext | undefined)[] } {
  const contexts: (RiskContext | undefined)[] = [];
  const engine: PolicyEngine = {
    parsePolicy,
    scorePolicy(policy: Policy, context?: RiskContext): RiskReview {
      contexts.push(context);
      return { score: policy.statements.length, band: 'low', factors: [], suggestions: [], summary: '' };
    },
  };
  return { engine, contexts };
}

// Trust policy from the IAM User Guide, "Creating a role to delegate permissions to an AWS service".
const TRUST = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}`;

test('analyse: detects a trust policy from Principal + sts:AssumeRole and passes the kind to the scorer', () => {
  const { engine, contexts } = recordingEngine();
  const { reports, errors } = analysePolicies(extractPolicies('trust.json', TRUST).policies, engine, {
    context: { accessType: 'read-only', durationHours: 2 },
  });
  assert.deepEqual(errors, []);
  assert.equal(reports[0]?.kind, 'trust');
  assert.deepEqual(contexts[0], { accessType: 'read-only', durationHours: 2, kind: 'trust' });
  assert.deepEqual(reports[0]?.statementLines, [4]);
});

test('analyse: a Principal without AssumeRole is a resource policy; none is an identity policy; --kind wins', () => {
  const { engine } = recordingEngine();
  // Bucket policy shape from the Amazon S3 User Guide, "Bucket policy examples".
  const bucket =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*"}]}';
  const identity =
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}';
  const run = (text: string, kind?: 'scp') =>
    analysePolicies(extractPolicies('p.json', text).policies, engine, kind ? { kind } : {}).reports[0]?.kind;
  assert.equal(run(bucket), 'resource');
  assert.equal(run(identity), 'identity');
  assert.equal(run(identity, 'scp'), 'scp');
});

test('analyse: a structurally invalid policy is an input error at the element line', () => {
  const { engine } = recordingEngine();
  const text =
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*" }\n  ]\n}';
  const { reports, errors } = analysePolicies(extractPolicies('bad.json', text).policies, engine);
  assert.equal(reports.length, 0);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.file, 'bad.json');
  assert.equal(errors[0]?.line, 4);
  assert.match(errors[0]?.message ?? '', /^bad\.json: /);
});

test('fingerprint: canonical JSON sorts keys, drops whitespace and escapes non-ASCII like Python json.dumps', () => {
  assert.equal(
    canonicalJson({ b: [1, 'é'], a: { d: null, c: true } }),
    '{"a":{"c":true,"d":null},"b":[1,"\\u00e9"]}',
  );
  // sha256 of '{"a":1}' (printf '{"a":1}' | sha256sum).
  assert.equal(
    fingerprintPolicy({ a: 1 }),
    'sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
  );
  assert.equal(fingerprintPolicySet(['sha256:x']), 'sha256:x');
  assert.equal(
    fingerprintPolicySet(['sha256:a', 'sha256:b']),
    fingerprintPolicySet(['sha256:b', 'sha256:a']),
  );
});
