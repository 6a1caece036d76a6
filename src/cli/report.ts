import { createHash } from 'node:crypto';
import type { Finding, PolicyKind, RiskReview } from '../policy/types.ts';
import type { PolicySource } from './extract/types.ts';

/** A validation finding with the source line of the element it points at. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

/** Everything the output formats need about one analysed policy. Plain data: serialisable as JSON. */
export interface PolicyReport {
  /** Display name, e.g. `template.yaml#Resources/MyRole/Policies/0`. */
  name: string;
  /** Input file as given (`-` for stdin). */
  file: string;
  source: PolicySource;
  kind: PolicyKind;
  /** Where the policy document starts in `file`. */
  line: number;
  column: number;
  /** `sha256:` + hex digest of the canonical JSON of the policy document. */
  fingerprint: string;
  /** Present when the policy was scored. */
  review?: RiskReview;
  findings: LocatedFinding[];
  /** Source line of each statement, by statement index. */
  statementLines: number[];
}

/** Risk score options shared by the formats: the pass/fail threshold. */
export interface FormatOptions {
  /** Scores at or above the threshold fail (exit 1). */
  threshold: number;
}

/**
 * Canonical JSON: object keys sorted, no whitespace, non-ASCII escaped as `\u` plus four hex digits — byte-for-byte what
 * Python's `json.dumps(v, sort_keys=True, separators=(",", ":"))` prints for JSON data, so fingerprints
 * match the established `iam-risk-score` CLI.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${asciiString(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'string') return asciiString(value);
  return JSON.stringify(value ?? null);
}

function asciiString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `sha256:<hex>` of the canonical JSON of a policy document. */
export function fingerprintPolicy(document: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(document)).digest('hex')}`;
}

/**
 * One fingerprint for a set of policies: the fingerprint of the single policy when there is one, otherwise
 * `sha256:` of the sorted member fingerprints joined by newlines (independent of file order and names).
 */
export function fingerprintPolicySet(fingerprints: readonly string[]): string {
  if (fingerprints.length === 1) return fingerprints[0] ?? '';
  const joined = [...fingerprints].sort().join('\n');
  return `sha256:${createHash('sha256').update(joined).digest('hex')}`;
}

/** The worst (highest) score among reports that were scored; 0 when none were. */
export function worstScore(reports: readonly PolicyReport[]): number {
  return reports.reduce((max, r) => Math.max(max, r.review?.score ?? 0), 0);
}
