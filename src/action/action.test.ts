import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseOutputFile } from './github-files.ts';

// Runs bin/iam-jit-action.js the way GitHub runs a step: inputs as INPUT_* variables (upper-cased, dashes
// kept), outputs and the job summary written to the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
const ENTRY = join(import.meta.dirname, '..', '..', 'bin', 'iam-jit-action.js');
const workspace = mkdtempSync(join(tmpdir(), 'iam-jit-action-'));

// AdministratorAccess (AWS managed policy) and a prefix-scoped read (IAM User Guide, "Amazon S3: Allows read
// access to objects in a specific folder"); the issue's sanity anchors put them at 10 and at most 2.
const ADMIN =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "*", "Resource": "*" }\n  ]\n}\n';
const READ =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::reports-bucket/daily/*"\n    }\n  ]\n}\n';

let server: Server;
let apiUrl = '';
const apiRequests: { method: string; url: string; body: string }[] = [];

before(async () => {
  mkdirSync(join(workspace, 'iam', 'ok'), { recursive: true });
  writeFileSync(join(workspace, 'iam', 'admin.json'), ADMIN);
  writeFileSync(join(workspace, 'iam', 'ok', 'read.json'), READ);
  writeFileSync(join(workspace, 'event.json'), JSON.stringify({ pull_request: { number: 42 } }));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      apiRequests.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      res.writeHead(req.method === 'POST' ? 201 : 200).end(req.method === 'GET' ? '[]' : '{"id":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(workspace, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Map<string, string>;
  summary: string;
}

let runs = 0;
function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<Run> {
  runs++;
  const output = join(workspace, `output-${runs}`);
  const summary = join(workspace, `summary-${runs}`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [ENTRY], { env, cwd: workspace }, (error, stdout, stderr) => {
      resolve({
        code: error ? Number(error.code ?? 1) : 0,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(output, 'utf8')),
        summary: readFileSync(summary, 'utf8'),
      });
    });
  });
}

test('action: a failing policy sets outputs, annotations, job summary and SARIF, and exits 1', async () => {
  const r = await runAction({ 'policy-file': 'iam/**/*.json', 'sarif-output': 'out/iam.sarif' });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.outputs.get('score'), '10');
  assert.equal(r.outputs.get('tier'), 'critical');
  assert.equal(r.outputs.get('would_auto_approve'), 'false');
  assert.equal(r.outputs.get('policy_count'), '2');
  assert.match(r.outputs.get('policy_fingerprint') ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.match(r.outputs.get('summary') ?? '', /^## IAM policy risk\n/);
  assert.match(r.summary, /\| `iam\/admin\.json` \| identity \| 10\/10 \| critical \| ❌ fail \|/);
  assert.match(r.summary, /\| `iam\/ok\/read\.json` \| identity \| [12]\/10 \| low \| ✅ pass \|/);
  assert.match(r.stdout, /^::error file=iam\/admin\.json,line=4,title=IAM policy risk 10\/10%3A /m);
  const sarif = JSON.parse(readFileSync(join(workspace, 'out', 'iam.sarif'), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].tool.driver.name, 'iam-jit');
  const admin = sarif.runs[0].results.find(
    (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      x.locations[0]?.physicalLocation.artifactLocation.uri === 'iam/admin.json',
  );
  assert.equal(admin.level, 'error');
  assert.equal(admin.locations[0].physicalLocation.region.startLine, 4);
});

test('action: passing policies exit 0 with would_auto_approve; the fingerprint is the policy fingerprint', async () => {
  const r = await runAction({ 'policy-file': 'iam/ok/*.json', preset: 'standard' });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Number(r.outputs.get('score')) <= 2);
  assert.equal(r.outputs.get('tier'), 'low');
  assert.equal(r.outputs.get('would_auto_approve'), 'true');
  const cli = await new Promise<string>((resolve) =>
    execFile(
      process.execPath,
      [
        join(import.meta.dirname, '..', '..', 'bin', 'iam-risk-score.js'),
        '--format',
        'json',
        'iam/ok/read.json',
      ],
      { cwd: workspace },
      (_e, stdout) => resolve(stdout),
    ),
  );
  assert.equal(r.outputs.get('policy_fingerprint'), JSON.parse(cli).policy_fingerprint);
});

test('action: comment-on-pr posts the report to the pull request through the API', async () => {
  apiRequests.length = 0;
  const r = await runAction(
    { 'policy-file': 'iam/ok/read.json', 'comment-on-pr': 'true', 'github-token': 'ghs_x' },
    {
      GITHUB_EVENT_PATH: join(workspace, 'event.json'),
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_API_URL: apiUrl,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    apiRequests.map((q) => `${q.method} ${q.url}`),
    ['GET /repos/acme/infra/issues/42/comments?per_page=100', 'POST /repos/acme/infra/issues/42/comments'],
  );
  assert.match((JSON.parse(apiRequests[1]?.body ?? '{}') as { body: string }).body, /## IAM policy risk/);
});

test('action: bad inputs and globs that match nothing fail with exit 2 and an error annotation', async () => {
  const none = await runAction({ 'policy-file': 'nothing/*.json' });
  assert.equal(none.code, 2);
  assert.match(none.stdout, /::error title=iam-jit::policy-file matched no files: nothing\/\*\.json/);
  const bad = await runAction({ 'policy-file': 'iam/*.json', preset: 'lenient' });
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /preset must be strict, standard or permissive, got lenient/);
  assert.equal(bad.outputs.size, 0);
});
