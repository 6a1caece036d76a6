// End-to-end: runs the real bin/iam-jit.js and bin/iam-risk-score.js as child processes, as a user or CI would.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const BIN = join(import.meta.dirname, '..', 'bin');
const dir = mkdtempSync(join(tmpdir(), 'iam-jit-cli-'));

function run(
  bin: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(BIN, bin), ...args],
      { cwd: dir },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

// A role with an admin inline policy and an EC2 trust policy, after the AWS::IAM::Role examples in the
// AWS CloudFormation User Guide, in short-form YAML.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: ec2.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Sub 'arn:\${AWS::Partition}:s3:::\${Bucket}/public/*'
              - Effect: Allow
                Action: '*'
                Resource: '*'
`;

// `terraform show -json` plan shape (Terraform documentation, "JSON Output Format").
const PLAN = JSON.stringify(
  {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          {
            address: 'aws_iam_role_policy.app',
            mode: 'managed',
            type: 'aws_iam_role_policy',
            name: 'app',
            values: {
              policy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
              }),
            },
          },
        ],
      },
    },
  },
  null,
  2,
);

const READ =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/daily/*"}]}';

before(() => {
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'plan.json'), PLAN);
  writeFileSync(join(dir, 'bad.json'), '{\n  "Version": "2012-10-17"\n  "Statement": []\n}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('cli: --help lists the policy commands', async () => {
  const r = await run('iam-jit.js', ['--help']);
  assert.equal(r.code, 0);
  for (const command of ['score', 'validate', 'expand', 'draft', 'simulate'])
    assert.match(r.stdout, new RegExp(`\\n  ${command}`));
});

test('cli: CloudFormation YAML to SARIF, each result at its statement line, exit 1', async () => {
  const r = await run('iam-jit.js', [
    'score',
    '--format',
    'sarif',
    '--access-type',
    'read-write',
    'template.yaml',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const sarif = JSON.parse(r.stdout);
  const results: {
    ruleId: string;
    message: { text: string };
    locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  }[] = sarif.runs[0].results;
  const inline = results.filter((x) =>
    x.message.text.startsWith('template.yaml#Resources/AppRole/Policies/0'),
  );
  assert.ok(inline.some((x) => x.ruleId === 'full-admin'));
  for (const x of inline) {
    assert.equal(x.locations[0]?.physicalLocation.artifactLocation.uri, 'template.yaml');
    // Statement 1 (the admin one) starts on line 21; statement 0 on line 18.
    assert.ok([18, 21].includes(x.locations[0]?.physicalLocation.region.startLine ?? 0));
  }
  assert.equal(
    inline.find((x) => x.ruleId === 'full-admin')?.locations[0]?.physicalLocation.region.startLine,
    21,
  );
});

test('cli: CloudFormation YAML to JSON names the policies and scores the trust policy as trust', async () => {
  const r = await run('iam-jit.js', ['score', '--format', 'json', 'template.yaml']);
  const results = JSON.parse(r.stdout) as { name: string; kind: string; score: number }[];
  assert.deepEqual(
    results.map((x) => [x.name, x.kind]),
    [
      ['template.yaml#Resources/AppRole/AssumeRolePolicyDocument', 'trust'],
      ['template.yaml#Resources/AppRole/Policies/0', 'identity'],
    ],
  );
  assert.equal(results[1]?.score, 10);
});

test('cli: Terraform plan JSON with --format github annotates the plan file', async () => {
  const r = await run('iam-jit.js', ['score', '--format', 'github', 'plan.json']);
  assert.equal(r.code, 1);
  const line = PLAN.split('\n').findIndex((l) => l.includes('"policy":')) + 1;
  assert.match(
    r.stdout,
    new RegExp(`^::error file=plan\\.json,line=${line},title=IAM policy risk \\d+/10%3A `, 'm'),
  );
  assert.match(r.stdout, /plan\.json#aws_iam_role_policy\.app: score \d+\/10/);
});

test('cli: iam-risk-score reads stdin, prints the established JSON object, exits 0 below the threshold', async () => {
  const r = await run('iam-risk-score.js', ['--offline', '--format', 'json', '-'], READ);
  assert.equal(r.code, 0, r.stderr);
  const body = JSON.parse(r.stdout);
  assert.equal(body.tier, 'low');
  assert.equal(body.would_auto_approve_at_threshold_5, true);
  assert.match(body.policy_fingerprint, /^sha256:[0-9a-f]{64}$/);
  const version = await run('iam-risk-score.js', ['--version']);
  assert.equal(version.stdout, '0.1.0\n');
});

test('cli: malformed input exits 2 with file:line:col: message on stderr', async () => {
  const r = await run('iam-risk-score.js', ['bad.json']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'bad.json:3:3: invalid JSON: comma expected\n');
});

test('iam-jit validate accepts a RoleRequest file and validates its policy', async () => {
  writeFileSync(
    join(dir, 'request.yaml'),
    'apiVersion: iam-jit.dev/v1alpha1\nkind: RoleRequest\nspec:\n  accounts: ["111122223333"]\n  policy:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: s3:GetObjekt\n        Resource: "*"\n',
  );
  const r = await run('iam-jit.js', ['validate', '--format', 'json', 'request.yaml']);
  assert.equal(r.code, 1, r.stderr);
  const reports = JSON.parse(r.stdout) as { name: string; findings: { code: string }[] }[];
  assert.equal(reports[0]?.name, 'request.yaml#spec/policy');
  assert.ok(reports[0]?.findings.some((f) => f.code === 'INVALID_ACTION'));
});
