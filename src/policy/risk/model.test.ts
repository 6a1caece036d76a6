// The model's numbers live in model.ts; the documentation must show the same ones, and the bands must match
// the established iam-jit scorer's (1–4 low, 5–6 medium, 7–8 high, 9–10 critical).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bandOf, FACTOR_IDS, FACTORS } from './model.ts';

const doc = readFileSync(new URL('../../../docs/policy/risk-score.md', import.meta.url), 'utf8');

test('docs/policy/risk-score.md lists every factor with the weights model.ts uses', () => {
  for (const id of FACTOR_IDS) {
    const row = new RegExp(
      `\\|\\s*\`${id}\`\\s*\\|\\s*${FACTORS[id].scoped}\\s*\\|\\s*${FACTORS[id].unscoped}\\s*\\|`,
    );
    assert.match(doc, row, `missing or stale row for ${id}`);
  }
});

test('factor weights are sane: 1..9, scoped never above unscoped', () => {
  for (const id of FACTOR_IDS) {
    const f = FACTORS[id];
    assert.ok(f.scoped >= 1 && f.unscoped <= 9 && f.scoped <= f.unscoped, id);
    assert.ok(f.title.length > 0 && f.suggestion.length > 0, id);
  }
});

test('bands: 1–4 low, 5–6 medium, 7–8 high, 9–10 critical', () => {
  assert.deepEqual([1, 4, 5, 6, 7, 8, 9, 10].map(bandOf), [
    'low',
    'low',
    'medium',
    'medium',
    'high',
    'high',
    'critical',
    'critical',
  ]);
});
