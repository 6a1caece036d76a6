import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputReader } from './inputs.ts';
import { runCli } from './main.ts';

/** Runs the CLI in-process against in-memory files. */
async function run(args: string[], files: Record<string, string> = {}, invokedAs = 'iam-jit') {
  let stdout = '';
  let stderr = '';
  const reader: InputReader = {
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    readStdin: async () => files['-'] ?? '',
  };
  const code = await runCli(
    ['node', invokedAs, ...args],
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
    {
      reader,
      cwd: '/repo',
      invokedAs,
    },
  );
  return { code, stdout, stderr };
}

// AdministratorAccess and a prefix-scoped read: the sanity anchors (10 and ≤ 2).
const ADMIN = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const READ =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/daily/*"}]}';

test('score: exit 1 when any policy reaches the threshold, 0 when all are below it', async () => {
  const files = { 'admin.json': ADMIN, 'read.json': READ };
  const fail = await run(['score', 'admin.json', 'read.json'], files);
  assert.equal(fail.code, 1);
  assert.match(
    fail.stdout,
    /admin\.json \(identity\)\n\n {2}Score: {5}10\/10 \(critical\)\n {2}Threshold: 5 \(FAIL\)/,
  );
  const pass = await run(['score', 'read.json'], files);
  assert.equal(pass.code, 0);
  assert.match(pass.stdout, /Threshold: 5 \(PASS\)/);
  // --threshold 11 lets everything pass.
  assert.equal((await run(['score', '--threshold', '11', 'admin.json'], files)).code, 0);
});

test('score: unreadable input exits 2 with file:line:col, after scoring the readable ones', async () => {
  const r = await run(['score', '--format', 'json', 'read.json', 'bad.json', 'missing.json'], {
    'read.json': READ,
    'bad.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n}',
  });
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    'bad.json:4:1: invalid JSON: value expected\nmissing.json:1:1: cannot read file: no such file\n',
  );
  assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
  const only = await run(['score', 'missing.json']);
  assert.deepEqual(only, {
    code: 2,
    stdout: '',
    stderr: 'missing.json:1:1: cannot read file: no such file\n',
  });
});

test('score: reads standard input with -', async () => {
  const r = await run(['score', '--format', 'json', '-'], { '-': ADMIN });
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as { name: string }[])[0]?.name, '-');
});

test('score: as iam-risk-score, one input prints one JSON object with the established fields', async () => {
  const r = await run(
    ['score', '--offline', '--format', 'json', 'read.json'],
    { 'read.json': READ },
    'iam-risk-score',
  );
  assert.equal(r.code, 0);
  const body = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const key of [
    'score',
    'tier',
    'would_auto_approve_at_threshold_5',
    'factors',
    'suggestions',
    'analyzer',
  ]) {
    assert.ok(key in body, key);
  }
  assert.match(String(body.policy_fingerprint), /^sha256:[0-9a-f]{64}$/);
});

test('score: trust policies are detected and scored as trust; --kind overrides', async () => {
  // "Principal": "*" trust policy: anyone may assume the role (IAM User Guide, "Role trust policies").
  const open =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}';
  const r = await run(['score', '--format', 'json', 'trust.json'], { 'trust.json': open });
  const [result] = JSON.parse(r.stdout) as { kind: string; score: number }[];
  assert.equal(result?.kind, 'trust');
  assert.ok((result?.score ?? 0) >= 7, `open trust policy scored ${result?.score}`);
  const forced = await run(['score', '--kind', 'identity', '--format', 'json', 'trust.json'], {
    'trust.json': open,
  });
  assert.equal((JSON.parse(forced.stdout) as { kind: string }[])[0]?.kind, 'identity');
});

test('score: usage errors exit 2 with a one-line reason', async () => {
  const bad = await run(['score', '--threshold', 'high', 'a.json']);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^error: option '--threshold <n>' argument 'high' is invalid\. expected an integer from 1 to 11\n$/,
  );
  const format = await run(['score', '--format', 'xml', 'a.json']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /Allowed choices are human, json, github, sarif, markdown/);
  assert.equal((await run(['score'])).code, 2);
  assert.equal((await run(['--version'])).code, 0);
});

test('validate: exit 1 on error findings, 0 when clean, findings at their lines', async () => {
  // Unknown action: IAM Access Analyzer policy check "Unknown action" / parliament UNKNOWN_ACTION.
  const unknown =
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObjectz",\n      "Resource": "*"\n    }\n  ]\n}';
  const r = await run(['validate', 'u.json'], { 'u.json': unknown, 'read.json': READ });
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /^u\.json:6:\d+: error \S+ .*s3:GetObjectz/m);
  const clean = await run(['validate', 'read.json'], { 'read.json': READ });
  assert.equal(clean.code, 0, clean.stdout);
});

test('expand: actions with access levels; --json; unknown patterns exit 1', async () => {
  const r = await run(['expand', 's3:GetObject*Tagging']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^s3:GetObjectTagging +Read\ns3:GetObjectVersionTagging +Read\n$/);
  const json = await run(['expand', '--json', 'iam:PassRole']);
  assert.deepEqual(JSON.parse(json.stdout), [
    { action: 'iam:PassRole', service: 'iam', accessLevel: 'Write' },
  ]);
  const unknown = await run(['expand', 'nosuch:Thing']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'iam-jit expand: no known action matches nosuch:Thing\n');
});

test('draft: a policy from actions and resources; read-only refuses writes', async () => {
  const r = await run([
    'draft',
    '--actions',
    's3:GetObject',
    '--resources',
    'arn:aws:s3:::reports/*',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { policy } = JSON.parse(r.stdout) as {
    policy: { Statement: { Action: string[]; Resource: string[] }[] };
  };
  assert.deepEqual(
    policy.Statement.flatMap((s) => s.Action),
    ['s3:GetObject'],
  );
  assert.deepEqual(
    policy.Statement.flatMap((s) => s.Resource),
    ['arn:aws:s3:::reports/*'],
  );
  const refused = await run(['draft', '--actions', 's3:PutObject', '--access-type', 'read-only']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^iam-jit draft: ReadOnlyViolation: /);
  const level = await run(['draft', '--service', 's3', '--access-levels', 'readish']);
  assert.equal(level.code, 2);
  assert.equal(level.stderr, 'iam-jit draft: unknown access level readish\n');
});

test('simulate: allowed (exit 0) and denied by a boundary (exit 1), with the deciding statement', async () => {
  // Permissions boundary example: IAM User Guide, "Permissions boundaries for IAM entities".
  const boundary =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}';
  const files = { 'read.json': READ, 'boundary.json': boundary };
  const args = [
    'simulate',
    '--policy',
    'read.json',
    '--action',
    's3:GetObject',
    '--resource',
    'arn:aws:s3:::reports/daily/x',
  ];
  const allowed = await run(args, files);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /^Decision: Allowed\n/);
  assert.match(allowed.stdout, /identity policy read\.json, statement 0/);
  const denied = await run([...args, '--boundary', 'boundary.json', '--json'], files);
  assert.equal(denied.code, 1);
  assert.equal((JSON.parse(denied.stdout) as { decision: string }).decision, 'ImplicitlyDenied');
  const badContext = await run([...args, '--context', 'novalue'], files);
  assert.equal(badContext.code, 2);
  assert.equal(badContext.stderr, 'iam-jit simulate: --context expects key=value, got novalue\n');
});

test('simulate: a trust policy must name the caller when --resource-policy-must-allow is given', async () => {
  // IAM User Guide, "Policy evaluation logic": role trust policies must explicitly allow the principal,
  // even within one account. Here the trust policy names another account, so the same-account caller is denied.
  const trust =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}';
  const caller =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}';
  const files = { 'trust.json': trust, 'caller.json': caller };
  const base = [
    'simulate',
    '--policy',
    'caller.json',
    '--resource-policy',
    'trust.json',
    '--action',
    'sts:AssumeRole',
    '--resource',
    'arn:aws:iam::111122223333:role/Deploy',
    '--principal',
    'arn:aws:iam::111122223333:user/alice',
  ];
  const lenient = await run(base, files);
  assert.equal(lenient.code, 0, lenient.stdout);
  const strict = await run([...base, '--resource-policy-must-allow', '--json'], files);
  assert.equal(strict.code, 1, strict.stdout);
  assert.notEqual((JSON.parse(strict.stdout) as { decision: string }).decision, 'Allowed');
});
