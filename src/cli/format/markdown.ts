import type { FormatOptions, PolicyReport } from '../report.ts';
import { worstScore } from '../report.ts';
import { factorsByWeight, isFailing, scoringFactors, statementLine, summariseEvidence } from './shared.ts';

/** Escapes text for a Markdown table cell or list item (pipes, backticks, HTML angle brackets). */
function cell(s: string): string {
  return s
    .replaceAll('|', '\\|')
    .replaceAll('*', '\\*')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\n', ' ');
}

function code(s: string): string {
  return `\`${s.replaceAll('`', "'").replaceAll('|', '\\|')}\``;
}

/**
 * A Markdown report for pull-request comments and job summaries: a table with one row per policy (score,
 * band, pass/fail, top factors), the overall verdict, then a collapsible section per policy with its factors,
 * evidence lines, suggestions and findings.
 */
export function formatMarkdown(reports: readonly PolicyReport[], options: FormatOptions): string {
  const lines = ['## IAM policy risk', ''];
  if (reports.length === 0) return `${lines.join('\n')}No IAM policies found.\n`;
  const scored = reports.filter((r) => r.review !== undefined);
  const failing = scored.filter((r) => isFailing(r, options));
  if (scored.length > 0) {
    lines.push(
      `**Worst score: ${worstScore(reports)}/10** · threshold ${options.threshold} · ${
        failing.length === 0
          ? '✅ all policies pass'
          : `❌ ${failing.length} of ${scored.length} at or above it`
      }`,
      '',
      '| Policy | Kind | Score | Band | Result | Top factors |',
      '|---|---|---|---|---|---|',
    );
    for (const r of scored) {
      const review = r.review!;
      const top = scoringFactors(review.factors)
        .slice(0, 3)
        .map((f) => `${cell(f.title)} (+${f.points})`)
        .join(', ');
      lines.push(
        `| ${code(r.name)} | ${r.kind} | ${review.score}/10 | ${review.band} | ${
          isFailing(r, options) ? '❌ fail' : '✅ pass'
        } | ${top || '—'} |`,
      );
    }
    lines.push('');
  }
  for (const r of reports) lines.push(...details(r));
  return `${lines.join('\n')}\n`;
}

function details(r: PolicyReport): string[] {
  const review = r.review;
  if ((review === undefined || review.factors.length === 0) && r.findings.length === 0) return [];
  const head = review ? ` — ${review.score}/10 ${review.band}` : '';
  const out = ['<details>', `<summary>${cell(r.name)}${head}</summary>`, ''];
  if (review?.summary) out.push(cell(review.summary), '');
  for (const f of factorsByWeight(review?.factors ?? [])) {
    const lines = [...new Set(f.evidence.map((e) => statementLine(r, e.statementIndex)))].join(', ');
    out.push(`- **${cell(f.title)}** (+${f.points}): ${cell(summariseEvidence(f.evidence))} (line ${lines})`);
  }
  if (review && review.suggestions.length > 0) {
    out.push('', '**Suggestions**', '', ...review.suggestions.map((s) => `- ${cell(s)}`));
  }
  if (r.findings.length > 0) {
    out.push('', '**Findings**', '');
    for (const f of r.findings)
      out.push(`- ${f.severity} ${code(f.code)} line ${f.line}: ${cell(f.message)}`);
  }
  out.push('', '</details>', '');
  return out;
}
