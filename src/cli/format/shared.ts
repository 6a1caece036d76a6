import { isAbsolute, relative, sep } from 'node:path';
import type { Evidence, RiskFactor } from '../../policy/types.ts';
import type { FormatOptions, PolicyReport } from '../report.ts';

/** Pass/fail of one scored policy against the threshold (a policy that was not scored passes). */
export function isFailing(report: PolicyReport, { threshold }: FormatOptions): boolean {
  return report.review !== undefined && report.review.score >= threshold;
}

/** `s3:PutObject on arn:aws:s3:::b/*`, or the detail, for one piece of evidence. */
export function describeEvidence(e: Evidence): string {
  const parts = [e.action, e.resource ? `on ${e.resource}` : undefined].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  if (parts.length === 0) return e.detail || `statement ${e.statementIndex}`;
  return e.detail ? `${parts.join(' ')} (${e.detail})` : parts.join(' ');
}

/** Source line of a statement, falling back to the policy's own line. */
export function statementLine(report: PolicyReport, statementIndex: number): number {
  return report.statementLines[statementIndex] ?? report.line;
}

/** Evidence grouped by statement index, in statement order. */
export function evidenceByStatement(factor: RiskFactor): Map<number, Evidence[]> {
  const out = new Map<number, Evidence[]>();
  for (const e of [...factor.evidence].sort((a, b) => a.statementIndex - b.statementIndex)) {
    const list = out.get(e.statementIndex) ?? [];
    list.push(e);
    out.set(e.statementIndex, list);
  }
  return out;
}

/** Factors ordered by points, highest first (ties keep the engine's order). */
export function factorsByWeight(factors: readonly RiskFactor[]): RiskFactor[] {
  return [...factors].sort((a, b) => b.points - a.points);
}

/**
 * The factors that add points, highest first. Factors with 0 points (present, but absorbed by the score's
 * cap or by a stronger factor) are left to the detailed formats so annotations stay few and meaningful.
 */
export function scoringFactors(factors: readonly RiskFactor[]): RiskFactor[] {
  return factorsByWeight(factors.filter((f) => f.points > 0));
}

/** Shortens a list of evidence descriptions to at most `max`, noting how many were left out. */
export function summariseEvidence(evidence: readonly Evidence[], max = 3): string {
  const described = [...new Set(evidence.map(describeEvidence))];
  const shown = described.slice(0, max).join('; ');
  return described.length > max ? `${shown}; and ${described.length - max} more` : shown;
}

/**
 * The path annotations and SARIF should name: relative to `baseDir` (the repository root in CI) when given
 * absolute, with forward slashes. Paths outside `baseDir` stay absolute.
 */
export function displayPath(file: string, baseDir: string | undefined): string {
  if (baseDir === undefined || !isAbsolute(file)) return file.split(sep).join('/').replace(/^\.\//, '');
  const rel = relative(baseDir, file);
  return (rel.startsWith('..') || isAbsolute(rel) ? file : rel).split(sep).join('/');
}
