/**
 * The risk-distribution report: how many requests scored 1…10 (all ten buckets, zeros included), per band and per
 * account environment, with their outcomes.
 */
import { bandOf } from '../../policy/risk/model.ts';
import type { RiskEnvironmentCount, RiskScoreCount } from './ports.ts';
import type { ReportColumns } from './report.ts';

/** Outcome groups a request status falls into. */
export const RISK_OUTCOMES = ['approved', 'rejected', 'pending', 'cancelled', 'timed_out'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

/**
 * The outcome of a request status: `approved` for every status an approval leads to (approved, active, expired,
 * revoked, failed provisioning), `pending` while undecided (pending, changes_requested); the rest as named.
 */
export function outcomeOf(status: string): RiskOutcome | undefined {
  switch (status) {
    case 'approved':
    case 'active':
    case 'expired':
    case 'revoked':
    case 'failed':
      return 'approved';
    case 'pending':
    case 'changes_requested':
      return 'pending';
    case 'rejected':
    case 'cancelled':
    case 'timed_out':
      return status;
    default:
      return undefined;
  }
}

/** One bucket: by score (`1`…`10`), by band (`low`…`critical`) or by environment. */
export interface RiskReportRow {
  readonly dimension: 'score' | 'band' | 'environment';
  readonly key: string;
  readonly requests: number;
  readonly approved: number;
  readonly rejected: number;
  readonly pending: number;
  readonly cancelled: number;
  readonly timed_out: number;
}

/** The risk report's summary: requests counted (each once, in its score bucket). */
export interface RiskReportSummary {
  readonly total_requests: number;
}

const BANDS = ['low', 'medium', 'high', 'critical'] as const;

function emptyRow(dimension: RiskReportRow['dimension'], key: string): RiskReportRow {
  return { dimension, key, requests: 0, approved: 0, rejected: 0, pending: 0, cancelled: 0, timed_out: 0 };
}

function add(row: RiskReportRow, status: string, count: number): RiskReportRow {
  const outcome = outcomeOf(status);
  const next = { ...row, requests: row.requests + count };
  return outcome === undefined ? next : { ...next, [outcome]: next[outcome] + count };
}

/**
 * The rows (pure): ten score rows (1–10, zeros included), four band rows, then one row per environment (sorted),
 * each with its outcome counts. A request targeting several environments counts once in each of them.
 */
export function riskReportRows(counts: {
  byScore: readonly RiskScoreCount[];
  byEnvironment: readonly RiskEnvironmentCount[];
}): { rows: RiskReportRow[]; summary: RiskReportSummary } {
  const scores = Array.from({ length: 10 }, (_, i) => emptyRow('score', String(i + 1)));
  const bands = new Map<string, RiskReportRow>(BANDS.map((b) => [b, emptyRow('band', b)]));
  let total = 0;
  for (const c of counts.byScore) {
    if (!Number.isInteger(c.score) || c.score < 1 || c.score > 10) continue;
    const i = c.score - 1;
    scores[i] = add(scores[i] ?? emptyRow('score', String(c.score)), c.status, c.count);
    const band = bandOf(c.score);
    bands.set(band, add(bands.get(band) ?? emptyRow('band', band), c.status, c.count));
    total += c.count;
  }
  const envs = new Map<string, RiskReportRow>();
  for (const c of counts.byEnvironment)
    envs.set(
      c.environment,
      add(envs.get(c.environment) ?? emptyRow('environment', c.environment), c.status, c.count),
    );
  const envRows = [...envs.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows: [...scores, ...bands.values(), ...envRows], summary: { total_requests: total } };
}

/** The CSV columns, in order. */
export const RISK_REPORT_COLUMNS: ReportColumns<RiskReportRow> = [
  { header: 'dimension', value: (r) => r.dimension },
  { header: 'key', value: (r) => r.key },
  { header: 'requests', value: (r) => r.requests },
  ...RISK_OUTCOMES.map((o) => ({ header: o, value: (r: RiskReportRow) => r[o] })),
];
