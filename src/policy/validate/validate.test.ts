// Walks the validation case corpus (cases.json): each case names its source — an AWS documentation page (example
// policies, Access Analyzer policy check reference) or a parliament finding code — and lists the exact findings
// expected by code, JSON pointer and severity. AWS example policies form the "valid" set.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parsePolicy } from '../parse.ts';
import type { PolicyKind } from '../types.ts';
import { FINDING_CODES } from './codes.ts';
import type { IdentityPolicyType } from './size.ts';
import { validatePolicy } from './validate.ts';

interface Case {
  name: string;
  source: string;
  input: { policy: unknown; kind?: PolicyKind; identityPolicyType?: IdentityPolicyType };
  expected: { code: string; path: string; severity: string }[];
}

const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as Case[];

const key = (f: { code: string; path: string; severity: string }): string =>
  `${f.code} ${f.path} ${f.severity}`;

for (const c of cases) {
  test(`validate: ${c.name}`, () => {
    assert.ok(c.source.length > 0, 'every case cites its source');
    const text =
      typeof c.input.policy === 'string' ? c.input.policy : JSON.stringify(c.input.policy, null, 2);
    const parsed = parsePolicy(text);
    assert.ok(parsed.ok, `parses: ${JSON.stringify(parsed.ok ? '' : parsed.error)}`);
    const options: { kind?: PolicyKind; identityPolicyType?: IdentityPolicyType } = {};
    if (c.input.kind) options.kind = c.input.kind;
    if (c.input.identityPolicyType) options.identityPolicyType = c.input.identityPolicyType;
    const findings = validatePolicy(parsed.value, options);
    assert.deepEqual(findings.map(key).sort(), c.expected.map(key).sort());
    for (const f of findings) {
      assert.ok(f.message.length > 10, `${f.code} has a message`);
      assert.equal(f.severity, FINDING_CODES[f.code as keyof typeof FINDING_CODES].severity);
      const index = /^\/Statement\/(\d+)/.exec(f.path)?.[1];
      if (index !== undefined)
        assert.equal(f.statementIndex, Number(index), `${f.code} statementIndex fits its path`);
    }
  });
}

test('validate corpus: names are unique and there are at least 60 cases', () => {
  assert.ok(cases.length >= 60);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

test('validate corpus: every finding code has a positive case (or an API test)', () => {
  // Codes reachable only through a bare Policy, parse issues or very large documents are tested in
  // validate-api.test.ts.
  const apiOnly = new Set([
    'JSON_SYNTAX_ERROR',
    'INVALID_POLICY_STRUCTURE',
    'INVALID_EFFECT',
    'MISSING_EFFECT',
    'MISSING_ACTION',
    'UNSUPPORTED_ELEMENT_COMBINATION',
    'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
    'POLICY_SIZE_EXCEEDS_MANAGED_POLICY_QUOTA',
    'POLICY_SIZE_EXCEEDS_SCP_QUOTA',
    'POLICY_SIZE_EXCEEDS_TRUST_POLICY_QUOTA',
    'POLICY_SIZE_EXCEEDS_SESSION_POLICY_QUOTA',
  ]);
  const covered = new Set(cases.flatMap((c) => c.expected.map((e) => e.code)));
  const missing = Object.keys(FINDING_CODES).filter((code) => !covered.has(code) && !apiOnly.has(code));
  assert.deepEqual(missing, []);
});

test('docs/policy/validate.md documents every finding code with its severity', () => {
  const doc = readFileSync(new URL('../../../docs/policy/validate.md', import.meta.url), 'utf8');
  for (const [code, info] of Object.entries(FINDING_CODES)) {
    assert.ok(
      new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${info.severity}\\s*\\|`).test(doc),
      `${code} is documented as ${info.severity}`,
    );
  }
});
