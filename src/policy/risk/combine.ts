/**
 * Turns the fired factors into a RiskReview following the model in model.ts: dominant factor at full weight,
 * up to MAX_INCREMENTS more at 1 point each, context points on top, score = min(10, 1 + Σ points).
 */
import type { RiskContext, RiskFactor, RiskReview } from '../types.ts';
import type { Hit, Hits } from './factors/hits.ts';
import { bandOf, CONTEXT_FACTORS, FACTOR_IDS, FACTORS, MAX_INCREMENTS, MAX_SCORE } from './model.ts';

const ORDER = new Map<string, number>(FACTOR_IDS.map((id, i) => [id, i]));

/** Hours above which sensitive access earns 1 and 2 extra points. */
export const LONG_DURATION_HOURS = [8, 24] as const;
/** Weight a policy factor must reach before duration and production count (low-risk reads stay low). */
export const CONTEXT_MIN_WEIGHT = 3;

/** True for environment names that denote production (`prod`, `production`, `prd`, `eu-prod-1`, …). */
export function isProductionEnvironment(environment: string | undefined): boolean {
  return environment !== undefined && /(^|[^a-z])(prod|production|prd)([^a-z]|$)/i.test(environment);
}

function weightOf(hit: Hit): number {
  const def = FACTORS[hit.id];
  return hit.unscoped ? def.unscoped : def.scoped;
}

function toFactor(hit: Hit, points: number): RiskFactor {
  const evidence = [...hit.evidence];
  const hidden = hit.total - hit.evidence.length;
  if (hidden > 0) {
    evidence.push({ statementIndex: evidence[0]?.statementIndex ?? 0, detail: `… and ${hidden} more` });
  }
  return { id: hit.id, title: FACTORS[hit.id].title, points, evidence };
}

function contextFactors(maxWeight: number, hasWrites: boolean, context: RiskContext): RiskFactor[] {
  const out: RiskFactor[] = [];
  const hours = context.durationHours;
  if (hours !== undefined && maxWeight >= CONTEXT_MIN_WEIGHT && hours > LONG_DURATION_HOURS[0]) {
    const points = hours > LONG_DURATION_HOURS[1] ? 2 : 1;
    out.push({
      id: 'long-duration',
      title: `${CONTEXT_FACTORS['long-duration'].title} (${hours} h)`,
      points,
      evidence: [],
    });
  }
  if (isProductionEnvironment(context.environment) && (maxWeight >= CONTEXT_MIN_WEIGHT || hasWrites)) {
    out.push({
      id: 'production',
      title: `${CONTEXT_FACTORS.production.title} (${context.environment})`,
      points: 1,
      evidence: [],
    });
  }
  return out;
}

/** The factor's suggestion, pointing at its first piece of evidence when there is one. */
function suggestionFor(f: RiskFactor): string {
  const text =
    f.id in FACTORS
      ? FACTORS[f.id as keyof typeof FACTORS].suggestion
      : CONTEXT_FACTORS[f.id as keyof typeof CONTEXT_FACTORS].suggestion;
  const first = f.evidence[0];
  if (!first?.action) return text;
  const example = `e.g. ${first.action} on ${first.resource ?? '*'} in statement ${first.statementIndex}`;
  return `${text.replace(/\.$/, '')} (${example}).`;
}

/**
 * Builds the review from the fired factors. `mutating` says whether the policy allows any action above
 * List/Read (for the production factor). Deterministic: ties are broken by the order of FACTOR_IDS.
 */
export function combineFactors(hits: Hits, context: RiskContext, { mutating = false } = {}): RiskReview {
  const ranked = [...hits.values()]
    .map((hit) => ({ hit, weight: weightOf(hit) }))
    .sort((a, b) => b.weight - a.weight || (ORDER.get(a.hit.id) ?? 0) - (ORDER.get(b.hit.id) ?? 0));
  const factors = ranked.map(({ hit, weight }, i) =>
    toFactor(hit, i === 0 ? weight : i <= MAX_INCREMENTS ? 1 : 0),
  );
  const maxWeight = ranked[0]?.weight ?? 0;
  factors.push(...contextFactors(maxWeight, mutating, context));
  const sum = factors.reduce((s, f) => s + f.points, 0);
  const score = Math.min(MAX_SCORE, 1 + sum);
  const band = bandOf(score);
  const counted = factors.filter((f) => f.points > 0);
  const suggestions = [...new Set(counted.map(suggestionFor))];
  const summary =
    counted.length === 0
      ? `Score ${score}/10 (${band}): no risk factor found.`
      : `Score ${score}/10 (${band}) = 1 + ${counted.map((f) => `${f.points} ${f.id}`).join(' + ')}` +
        `${1 + sum > MAX_SCORE ? ` (capped at ${MAX_SCORE})` : ''}. Main factor: ${counted[0]?.title}.`;
  return { score, band, factors, suggestions, summary };
}
