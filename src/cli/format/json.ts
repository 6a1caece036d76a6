import type { FormatOptions, PolicyReport } from '../report.ts';
import { isFailing } from './shared.ts';

/**
 * One JSON result per policy. Carries the fields of the established `iam-risk-score --format json` output
 * (`score`, `tier`, `would_auto_approve_at_threshold_5`, `factors`, `suggestions`, `analyzer`,
 * `policy_fingerprint`) plus where the policy came from, its band, pass/fail and validation findings.
 */
export function toJsonResult(report: PolicyReport, options: FormatOptions): Record<string, unknown> {
  const review = report.review;
  return {
    name: report.name,
    file: report.file,
    source: report.source,
    kind: report.kind,
    line: report.line,
    ...(review !== undefined
      ? {
          score: review.score,
          tier: review.band,
          band: review.band,
          passed: !isFailing(report, options),
          threshold: options.threshold,
          would_auto_approve_at_threshold_5: review.score < 5,
          summary: review.summary,
          factors: review.factors,
          suggestions: review.suggestions,
        }
      : {}),
    analyzer: 'deterministic',
    policy_fingerprint: report.fingerprint,
    findings: report.findings,
    statement_lines: report.statementLines,
  };
}

/**
 * JSON array of results (pretty-printed). With `single`, exactly one report prints as a bare object, as the
 * established `iam-risk-score` did for its one input file.
 */
export function formatJson(
  reports: readonly PolicyReport[],
  options: FormatOptions & { single?: boolean },
): string {
  const results = reports.map((r) => toJsonResult(r, options));
  const body = options.single && results.length === 1 ? results[0] : results;
  return `${JSON.stringify(body, null, 2)}\n`;
}
