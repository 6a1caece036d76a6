import { createHash } from 'node:crypto';
import type { FindingSeverity } from '../../policy/types.ts';
import type { FormatOptions, PolicyReport } from '../report.ts';
import {
  describeEvidence,
  displayPath,
  evidenceByStatement,
  isFailing,
  scoringFactors,
  statementLine,
} from './shared.ts';

type SarifLevel = 'error' | 'warning' | 'note';

/** Version string printed as `tool.driver.version`. */
export const TOOL_VERSION = '0.1.0';

export interface SarifOptions extends FormatOptions {
  /** Directory result URIs are made relative to (the repository root in CI); default the working directory. */
  baseDir?: string;
}

interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: Record<string, unknown>;
}

const FINDING_LEVEL: Record<FindingSeverity, SarifLevel> = {
  error: 'error',
  warning: 'warning',
  suggestion: 'note',
};

/** `privilege-escalation` → `PrivilegeEscalation` (SARIF rule `name`). */
function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

/** A repository-relative URI with forward slashes, percent-encoded, as code scanning expects. */
export function artifactUri(file: string, baseDir: string): string {
  if (file === '-') return 'stdin';
  return encodeURI(displayPath(file, baseDir));
}

function fingerprint(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/**
 * SARIF 2.1.0 for GitHub code scanning: tool `iam-jit` with one rule per risk factor id and per finding code;
 * one result per point-adding factor and evidence statement (level `error` when the policy scores at or above the
 * threshold, `warning` for a medium or worse band, else `note`) and one per finding, each located at the
 * statement's (or element's) line with a repository-relative URI, plus a `partialFingerprints` entry that
 * stays stable when lines move. Factor rules carry `security-severity` (the worst score they occurred in).
 */
export function formatSarif(reports: readonly PolicyReport[], options: SarifOptions): string {
  const baseDir = options.baseDir ?? process.cwd();
  const rules = new Map<string, Rule>();
  const results: Record<string, unknown>[] = [];
  const ruleIndex = (id: string): number => [...rules.keys()].indexOf(id);

  for (const report of reports) {
    const uri = artifactUri(report.file, baseDir);
    const review = report.review;
    for (const factor of scoringFactors(review?.factors ?? [])) {
      if (review === undefined) break;
      const existing = rules.get(factor.id);
      const severity = Math.max(review.score, Number(existing?.properties['security-severity'] ?? 0));
      rules.set(factor.id, {
        id: factor.id,
        name: pascal(factor.id),
        shortDescription: { text: factor.title },
        fullDescription: { text: `IAM policy risk factor: ${factor.title}.` },
        help: { text: `${factor.title}. Narrow the actions, resources or conditions named in the evidence.` },
        defaultConfiguration: { level: 'warning' },
        properties: {
          tags: ['security', 'iam', 'risk'],
          precision: 'high',
          'security-severity': severity.toFixed(1),
        },
      });
      const level: SarifLevel = isFailing(report, options)
        ? 'error'
        : review.band === 'low'
          ? 'note'
          : 'warning';
      const groups = evidenceByStatement(factor);
      const targets: [number | undefined, string][] =
        groups.size > 0
          ? [...groups].map(([index, ev]) => [index, [...new Set(ev.map(describeEvidence))].join('; ')])
          : [[undefined, '']];
      for (const [index, evidence] of targets) {
        const line = index === undefined ? report.line : statementLine(report, index);
        results.push({
          ruleId: factor.id,
          ruleIndex: ruleIndex(factor.id),
          level,
          message: {
            text: `${report.name}: ${factor.title} (+${factor.points}); policy score ${review.score}/10 (${review.band})${
              evidence ? `. Evidence: ${evidence}` : ''
            }`,
          },
          locations: [location(uri, line)],
          partialFingerprints: {
            'iamJitResult/v1': fingerprint(factor.id, report.name, index ?? '', evidence),
          },
          properties: { policy: report.name, score: review.score, band: review.band, points: factor.points },
        });
      }
    }
    for (const f of report.findings) {
      if (!rules.has(f.code)) {
        rules.set(f.code, {
          id: f.code,
          name: pascal(f.code),
          shortDescription: { text: `IAM policy check ${f.code}` },
          fullDescription: { text: f.message },
          help: { text: f.message },
          defaultConfiguration: { level: FINDING_LEVEL[f.severity] },
          properties: { tags: ['iam', 'policy-validation'], precision: 'high' },
        });
      }
      results.push({
        ruleId: f.code,
        ruleIndex: ruleIndex(f.code),
        level: FINDING_LEVEL[f.severity],
        message: { text: `${report.name}: ${f.message}` },
        locations: [location(uri, f.line, f.column)],
        partialFingerprints: { 'iamJitResult/v1': fingerprint(f.code, report.name, f.path, f.message) },
        properties: { policy: report.name, path: f.path },
      });
    }
  }

  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'iam-jit',
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function location(uri: string, line: number, column?: number): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri },
      region: {
        startLine: Math.max(1, line),
        ...(column !== undefined ? { startColumn: Math.max(1, column) } : {}),
      },
    },
  };
}
