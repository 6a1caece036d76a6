/** What every report shares: kinds, row limits, the report envelope, and small pure helpers. */
import { bandOf } from '../../policy/risk/model.ts';
import type { CsvColumn } from './csv.ts';

/** The reports, by their URL segment (`/api/v1/reports/<kind>`). */
export const REPORT_KINDS = ['grants', 'activity', 'approvals', 'risk-distribution'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Rows a list report returns when no `limit` is given. */
export const DEFAULT_REPORT_LIMIT = 10_000;
/** The largest `limit` a list report accepts (bounded memory per request). */
export const MAX_REPORT_LIMIT = 100_000;

/** A report: its rows (oldest first), a summary, and when it was generated. */
export interface Report<Row, Summary> {
  readonly items: Row[];
  readonly summary: Summary;
  readonly generatedAt: Date;
}

/** What every list report's summary carries. */
export interface ListSummary {
  /** Rows in `items`. */
  readonly count: number;
  /** True when more rows matched than `limit`: narrow the window or raise the limit. */
  readonly truncated: boolean;
}

/** A report's CSV form: its columns in order. */
export type ReportColumns<Row> = readonly CsvColumn<Row>[];

/** The risk score and band of a stored risk review (JSON text); nulls when absent or unreadable. */
export function riskOf(stored: string | null): { score: number | null; band: string | null } {
  if (stored === null) return { score: null, band: null };
  try {
    const score = (JSON.parse(stored) as { score?: unknown }).score;
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 10)
      return { score: null, band: null };
    return { score, band: bandOf(score) };
  } catch {
    return { score: null, band: null };
  }
}

/** The email address of an `email:` user id; null for other principals (IAM ARNs). */
export function emailOf(userId: string | null): string | null {
  return userId?.startsWith('email:') ? userId.slice('email:'.length) : null;
}

/** How many of `values` there are of each, keys in first-seen order. */
export function countBy(values: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** A list of ids in one CSV cell: joined with `;`. */
export function joinIds(ids: readonly string[]): string {
  return ids.join(';');
}
