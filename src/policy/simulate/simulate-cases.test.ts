// Walks the simulator's case corpus (cases.json): every case cites the AWS documentation page it comes from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inputFromJson, type RawSimulationInput } from './corpus.ts';
import { simulate } from './simulate.ts';
import type { Decision, StatementRef } from './types.ts';

interface Case {
  name: string;
  source: string;
  input: RawSimulationInput;
  expected: {
    decision: Decision;
    deciding?: Pick<StatementRef, 'policy' | 'policyIndex' | 'statementIndex'>[];
    crossAccount?: boolean;
    warnings?: number;
  };
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'cases.json'), 'utf8')) as Case[];

test('the corpus is well-formed: unique names, a documentation source on every case', () => {
  assert.ok(cases.length >= 80, `expected at least 80 cases, found ${cases.length}`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  for (const c of cases) assert.match(c.source, /^https:\/\/docs\.aws\.amazon\.com\//, c.name);
});

for (const c of cases) {
  test(c.name, () => {
    const result = simulate(inputFromJson(c.input));
    assert.equal(result.decision, c.expected.decision, result.reason);
    if (c.expected.deciding) {
      const got = result.deciding.map(({ policy, policyIndex, statementIndex }) => ({
        policy,
        policyIndex,
        statementIndex,
      }));
      assert.deepEqual(got, c.expected.deciding);
    }
    if (c.expected.crossAccount !== undefined) assert.equal(result.crossAccount, c.expected.crossAccount);
    if (c.expected.warnings !== undefined) assert.equal(result.warnings.length, c.expected.warnings);
  });
}
