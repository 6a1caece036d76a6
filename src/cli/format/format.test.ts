import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleReports } from './fixtures.test-helper.ts';
import { escapeCommandProperty } from './github.ts';
import { renderReports } from './render.ts';

const options = { threshold: 5 };

test('human: score, pass/fail, factors by weight with statement lines, suggestions, findings', () => {
  const text = renderReports(sampleReports(), 'human', options);
  assert.match(text, /IAM Policy Risk Score — template\.yaml#Resources\/AppRole\/Policies\/0 \(identity\)/);
  assert.match(text, /Score: {5}8\/10 \(high\)/);
  assert.match(text, /Threshold: 5 \(FAIL\)/);
  assert.match(text, /Threshold: 5 \(PASS\)/);
  const esc = text.indexOf('Privilege escalation');
  assert.ok(esc > 0 && esc < text.indexOf('Write on all resources'), 'highest-points factor first');
  assert.match(text, /statement 0 \(line 22\): iam:PassRole on \*/);
  assert.match(text, /statement 1 \(line 25\): lambda:CreateFunction on \*/);
  assert.match(text, /Scope iam:PassRole/);
  assert.match(text, /infra\/template\.yaml:27:17: warning RESOURCE_MISMATCH/);
  assert.match(text, /Also present \(no extra points\): iam-recon\n/);
  assert.doesNotMatch(text, /IAM reconnaissance/);
});

test('json: an array of results with the established fields; single prints one object', () => {
  const parsed = JSON.parse(renderReports(sampleReports(), 'json', options)) as Record<string, unknown>[];
  assert.equal(parsed.length, 2);
  const [first, second] = parsed;
  assert.equal(first?.score, 8);
  assert.equal(first?.tier, 'high');
  assert.equal(first?.passed, false);
  assert.equal(first?.would_auto_approve_at_threshold_5, false);
  assert.equal(first?.policy_fingerprint, 'sha256:abc');
  assert.equal(second?.would_auto_approve_at_threshold_5, true);
  const one = JSON.parse(renderReports(sampleReports().slice(1), 'json', { ...options, single: true }));
  assert.equal(one.name, 'policy.json');
  assert.equal(one.analyzer, 'deterministic');
});

test('github: workflow commands with file, line and escaped properties', () => {
  const lines = renderReports(sampleReports(), 'github', options).trim().split('\n');
  assert.equal(
    lines[0],
    '::error file=infra/template.yaml,line=22,title=IAM policy risk 8/10%3A Privilege escalation%2C PassRole + Lambda::' +
      'template.yaml#Resources/AppRole/Policies/0: score 8/10 (high), at or above threshold 5. ' +
      'Privilege escalation, PassRole + Lambda (+4): lambda:CreateFunction on *; iam:PassRole on *',
  );
  assert.match(
    lines[1] ?? '',
    /^::error file=infra\/template\.yaml,line=25,title=IAM policy risk 8\/10%3A Write/,
  );
  assert.match(
    lines[2] ?? '',
    /^::warning file=infra\/template\.yaml,line=27,col=17,title=IAM policy warning%3A RESOURCE_MISMATCH::/,
  );
  assert.match(
    lines[3] ?? '',
    /^::notice file=policy\.json,line=1,title=IAM policy risk 2\/10::policy\.json: score 2\/10 \(low\), below/,
  );
  assert.equal(lines.length, 4);
});

test('github: absolute paths under the base directory are annotated relative to it', () => {
  const reports = sampleReports().slice(1);
  reports[0]!.file = '/repo/iam/policy.json';
  const text = renderReports(reports, 'github', { ...options, baseDir: '/repo' });
  assert.match(text, /^::notice file=iam\/policy\.json,line=1,/);
  const outside = renderReports(reports, 'github', { ...options, baseDir: '/elsewhere' });
  assert.match(outside, /^::notice file=\/repo\/iam\/policy\.json,line=1,/);
});

test('github: message data escapes newlines and percent signs', () => {
  assert.equal(escapeCommandProperty('a:b,c%\nd'), 'a%3Ab%2Cc%25%0Ad');
});

test('sarif: 2.1.0 with iam-jit rules, relative URIs, statement lines, levels and fingerprints', () => {
  const reports = sampleReports();
  reports[0]!.file = '/repo/infra/template.yaml';
  const sarif = JSON.parse(renderReports(reports, 'sarif', { ...options, baseDir: '/repo' }));
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'iam-jit');
  const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
  // Rules for factors that add points (highest first) and for finding codes; the 0-point factor has none.
  assert.deepEqual(ruleIds, ['privilege-escalation', 'wildcard-resource', 'RESOURCE_MISMATCH']);
  assert.equal(run.tool.driver.rules[0].properties['security-severity'], '8.0');
  // privilege-escalation has evidence in two statements → two results, one per statement line.
  const esc = run.results.filter((r: { ruleId: string }) => r.ruleId === 'privilege-escalation');
  assert.deepEqual(
    esc.map(
      (r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
        r.locations[0]?.physicalLocation.region.startLine,
    ),
    [22, 25],
  );
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'infra/template.yaml');
    assert.equal(typeof r.message.text, 'string');
    assert.equal(Object.keys(r.partialFingerprints).length, 1);
  }
  assert.equal(esc[0].level, 'error');
  const finding = run.results.find((r: { ruleId: string }) => r.ruleId === 'RESOURCE_MISMATCH');
  assert.equal(finding.level, 'warning');
  assert.equal(finding.locations[0].physicalLocation.region.startColumn, 17);
  // The passing policy with no factors yields no results.
  assert.equal(run.results.length, 4);
});

test('sarif: fingerprints stay the same when only lines move', () => {
  const a = JSON.parse(renderReports(sampleReports(), 'sarif', options));
  const moved = sampleReports();
  moved[0]!.statementLines = [40, 45];
  const b = JSON.parse(renderReports(moved, 'sarif', options));
  assert.deepEqual(
    a.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints),
    b.runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints),
  );
});

test('markdown: a table row per policy, verdict line, escaped cells and details', () => {
  const md = renderReports(sampleReports(), 'markdown', options);
  assert.match(md, /\*\*Worst score: 8\/10\*\* · threshold 5 · ❌ 1 of 2 at or above it/);
  assert.match(
    md,
    /\| `template\.yaml#Resources\/AppRole\/Policies\/0` \| identity \| 8\/10 \| high \| ❌ fail \| Privilege escalation, PassRole \+ Lambda \(\+4\), Write on all resources \(\+1\) \|/,
  );
  assert.match(md, /\| `policy\.json` \| identity \| 2\/10 \| low \| ✅ pass \| — \|/);
  assert.match(md, /Resource a\\\|b fits none/);
  assert.match(md, /iam:PassRole on \\\* \(line 22, 25\)|on \\\*; iam:PassRole on \\\* \(line 25, 22\)/);
});

test('markdown and human: no policies', () => {
  assert.match(renderReports([], 'markdown', options), /No IAM policies found/);
  assert.equal(renderReports([], 'human', options), 'No IAM policies found.\n');
});
