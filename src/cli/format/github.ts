import type { FindingSeverity } from '../../policy/types.ts';
import type { FormatOptions, PolicyReport } from '../report.ts';
import {
  displayPath,
  evidenceByStatement,
  isFailing,
  scoringFactors,
  statementLine,
  summariseEvidence,
} from './shared.ts';

type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Escapes a workflow command's message, as @actions/core does (`%`, CR, LF). */
export function escapeCommandData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a workflow command property value (additionally `:` and `,`). */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

function command(level: AnnotationLevel, props: Record<string, string | number>, message: string): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`)
    .join(',');
  return `::${level} ${p}::${escapeCommandData(message)}`;
}

const FINDING_LEVEL: Record<FindingSeverity, AnnotationLevel> = {
  error: 'error',
  warning: 'warning',
  suggestion: 'notice',
};

/**
 * GitHub Actions workflow commands that annotate the files: for each scored policy one annotation per risk
 * factor that adds points, at its first evidence statement's line (`error` when the policy scores at or above
 * the threshold, `warning` for a medium or worse band below it, `notice` otherwise), a `notice` for a policy with no
 * factors, and one annotation per validation finding at its element's line.
 */
export function formatGithub(
  reports: readonly PolicyReport[],
  options: FormatOptions & { baseDir?: string },
): string {
  const out: string[] = [];
  for (const report of reports) {
    const file = displayPath(report.file, options.baseDir);
    const review = report.review;
    if (review !== undefined) {
      const level: AnnotationLevel = isFailing(report, options)
        ? 'error'
        : review.band === 'low'
          ? 'notice'
          : 'warning';
      const verdict = isFailing(report, options)
        ? `at or above threshold ${options.threshold}`
        : `below threshold ${options.threshold}`;
      const head = `${report.name}: score ${review.score}/10 (${review.band}), ${verdict}.`;
      const factors = scoringFactors(review.factors);
      if (factors.length === 0) {
        out.push(
          command(
            level,
            { file, line: report.line, title: `IAM policy risk ${review.score}/10` },
            `${head} ${review.summary}`.trim(),
          ),
        );
      }
      for (const factor of factors) {
        const [first] = evidenceByStatement(factor);
        const line = first ? statementLine(report, first[0]) : report.line;
        const evidence = summariseEvidence(factor.evidence);
        out.push(
          command(
            level,
            { file, line, title: `IAM policy risk ${review.score}/10: ${factor.title}` },
            `${head} ${factor.title} (+${factor.points})${evidence ? `: ${evidence}` : ''}`,
          ),
        );
      }
    }
    for (const f of report.findings) {
      out.push(
        command(
          FINDING_LEVEL[f.severity],
          { file, line: f.line, col: f.column, title: `IAM policy ${f.severity}: ${f.code}` },
          `${report.name}: ${f.message}`,
        ),
      );
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
