import type { Clock } from '../../lib/clock.ts';
import { BrokerError } from '../../lib/errors.ts';
import {
  ACTIVITY_REPORT_COLUMNS,
  type ActivityReportRow,
  type ActivityReportSummary,
  activityReportRows,
  activityReportSummary,
} from './activity-report.ts';
import {
  APPROVAL_REPORT_COLUMNS,
  type ApprovalReportRow,
  type ApprovalReportSummary,
  approvalReportRows,
  approvalReportSummary,
} from './approvals-report.ts';
import { toCsv } from './csv.ts';
import {
  GRANT_REPORT_COLUMNS,
  type GrantReportRow,
  type GrantReportSummary,
  grantReportRows,
  grantReportSummary,
} from './grants-report.ts';
import type {
  ActivityReportQuery,
  ApprovalReportQuery,
  GrantReportQuery,
  ReportsRepo,
  ReportWindow,
  RiskReportQuery,
} from './ports.ts';
import {
  DEFAULT_REPORT_LIMIT,
  MAX_REPORT_LIMIT,
  type Report,
  type ReportColumns,
  type ReportKind,
} from './report.ts';
import {
  RISK_REPORT_COLUMNS,
  type RiskReportRow,
  type RiskReportSummary,
  riskReportRows,
} from './risk-report.ts';

/** A list report's row bound: 1–`MAX_REPORT_LIMIT`, default `DEFAULT_REPORT_LIMIT`. */
export interface ReportLimit {
  readonly limit?: number;
}

export type GrantsReport = Report<GrantReportRow, GrantReportSummary>;
export type ActivityReport = Report<ActivityReportRow, ActivityReportSummary>;
export type ApprovalsReport = Report<ApprovalReportRow, ApprovalReportSummary>;
export type RiskDistributionReport = Report<RiskReportRow, RiskReportSummary>;

/**
 * The compliance reports (admin-only at every edge; the service itself does not check roles). Each method throws
 * BrokerError('InvalidInput', …, { details: { field } }) on a limit outside 1–100,000, an invalid date, or
 * `since` not before `until`; rethrows database errors.
 */
export interface ReportService {
  grants(query: GrantReportQuery & ReportLimit): Promise<GrantsReport>;
  activity(query: ActivityReportQuery & ReportLimit): Promise<ActivityReport>;
  approvals(query: ApprovalReportQuery & ReportLimit): Promise<ApprovalsReport>;
  riskDistribution(query: RiskReportQuery): Promise<RiskDistributionReport>;
}

function checkWindow({ since, until }: ReportWindow): void {
  for (const [field, d] of [
    ['since', since],
    ['until', until],
  ] as const)
    if (d !== undefined && Number.isNaN(d.getTime()))
      throw new BrokerError('InvalidInput', `${field} is not a date`, { details: { field } });
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime())
    throw new BrokerError('InvalidInput', 'since must be before until', { details: { field: 'since' } });
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPORT_LIMIT)
    throw new BrokerError(
      'InvalidInput',
      `limit must be an integer from 1 to ${MAX_REPORT_LIMIT}; narrow the time window for more`,
      { details: { field: 'limit', max: MAX_REPORT_LIMIT } },
    );
}

/** Reads `limit + 1` rows so the report knows whether it was cut. */
async function bounded<T>(
  limit: number,
  read: (n: number) => Promise<T[]>,
): Promise<{ rows: T[]; truncated: boolean }> {
  checkLimit(limit);
  const rows = await read(limit + 1);
  return { rows: rows.slice(0, limit), truncated: rows.length > limit };
}

/** Creates the report service over the read-only reports repo and a clock (for `generatedAt`). */
export function createReportService(deps: { reports: ReportsRepo; clock: Clock }): ReportService {
  const { reports, clock } = deps;
  return {
    async grants({ limit = DEFAULT_REPORT_LIMIT, ...query }) {
      checkWindow(query);
      const { rows, truncated } = await bounded(limit, (n) => reports.grants(query, n));
      const items = grantReportRows(rows);
      return { items, summary: grantReportSummary(items, truncated), generatedAt: clock.now() };
    },
    async activity({ limit = DEFAULT_REPORT_LIMIT, ...query }) {
      checkWindow(query);
      const { rows, truncated } = await bounded(limit, (n) => reports.activity(query, n));
      const items = activityReportRows(rows, query.userId);
      return { items, summary: activityReportSummary(items, truncated), generatedAt: clock.now() };
    },
    async approvals({ limit = DEFAULT_REPORT_LIMIT, ...query }) {
      checkWindow(query);
      const { rows, truncated } = await bounded(limit, (n) => reports.approvals(query, n));
      const items = approvalReportRows(rows);
      return { items, summary: approvalReportSummary(items, truncated), generatedAt: clock.now() };
    },
    async riskDistribution(query) {
      checkWindow(query);
      const { rows, summary } = riskReportRows(await reports.riskCounts(query));
      return { items: rows, summary, generatedAt: clock.now() };
    },
  };
}

const COLUMNS: { readonly [K in ReportKind]: ReportColumns<never> } = {
  grants: GRANT_REPORT_COLUMNS,
  activity: ACTIVITY_REPORT_COLUMNS,
  approvals: APPROVAL_REPORT_COLUMNS,
  'risk-distribution': RISK_REPORT_COLUMNS,
};

/** The report as RFC 4180 CSV with a header row (see `csv.ts` for quoting and formula neutralisation). */
export function reportCsv(kind: 'grants', report: GrantsReport): string;
export function reportCsv(kind: 'activity', report: ActivityReport): string;
export function reportCsv(kind: 'approvals', report: ApprovalsReport): string;
export function reportCsv(kind: 'risk-distribution', report: RiskDistributionReport): string;
export function reportCsv(kind: ReportKind, report: Report<unknown, unknown>): string {
  return toCsv(COLUMNS[kind] as ReportColumns<unknown>, report.items);
}

/** The download name: `iam-jit-<kind>-<YYYY-MM-DD>.csv` (UTC date of generation). */
export function reportFilename(kind: ReportKind, generatedAt: Date): string {
  return `iam-jit-${kind}-${generatedAt.toISOString().slice(0, 10)}.csv`;
}
