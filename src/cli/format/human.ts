import type { FormatOptions, PolicyReport } from '../report.ts';
import {
  evidenceByStatement,
  isFailing,
  scoringFactors,
  statementLine,
  summariseEvidence,
} from './shared.ts';

/**
 * Plain-text report for a terminal, in the layout of the established `iam-risk-score` CLI: per policy the
 * score and band, pass/fail against the threshold, each factor with its points and evidence (with source
 * lines), the suggestions, then validation findings as `file:line:col: severity code message`.
 */
export function formatHuman(reports: readonly PolicyReport[], options: FormatOptions): string {
  if (reports.length === 0) return 'No IAM policies found.\n';
  return `${reports.map((r) => formatOne(r, options)).join('\n')}`;
}

function formatOne(report: PolicyReport, options: FormatOptions): string {
  const lines: string[] = [];
  const review = report.review;
  if (review !== undefined) {
    lines.push(`IAM Policy Risk Score — ${report.name} (${report.kind})`, '');
    lines.push(`  Score:     ${review.score}/10 (${review.band})`);
    lines.push(`  Threshold: ${options.threshold} (${isFailing(report, options) ? 'FAIL' : 'PASS'})`);
    if (review.summary) lines.push(`  Summary:   ${review.summary}`);
    if (review.factors.length > 0) {
      lines.push('', 'Risk factors:');
      for (const factor of scoringFactors(review.factors)) {
        lines.push(`  - ${factor.title} [${factor.id}] (+${factor.points})`);
        for (const [index, evidence] of evidenceByStatement(factor)) {
          lines.push(
            `      statement ${index} (line ${statementLine(report, index)}): ${summariseEvidence(evidence)}`,
          );
        }
      }
      const extra = review.factors.filter((f) => f.points <= 0);
      if (extra.length > 0)
        lines.push(`  Also present (no extra points): ${extra.map((f) => f.id).join(', ')}`);
    }
    if (review.suggestions.length > 0) {
      lines.push('', 'Suggestions to reduce risk:');
      for (const s of review.suggestions) lines.push(`  - ${s}`);
    }
  }
  if (report.findings.length > 0) {
    if (review !== undefined) lines.push('', 'Findings:');
    for (const f of report.findings) {
      const indent = review !== undefined ? '  ' : '';
      lines.push(`${indent}${report.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`);
    }
  } else if (review === undefined) {
    lines.push(`${report.name}: no findings`);
  }
  return `${lines.join('\n')}\n`;
}
