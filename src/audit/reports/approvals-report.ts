/** The approvals report: each review decision, how long it took, and totals per approver. */
import type { ApprovalReportRecord } from './ports.ts';
import { joinIds, type ListSummary, type ReportColumns, riskOf } from './report.ts';

/** One review decision as the report shows it. */
export interface ApprovalReportRow {
  readonly review_id: string;
  readonly decided_at: string;
  readonly approver_id: string;
  /** `approve`, `reject` or `request_changes`. */
  readonly decision: string;
  readonly comment: string | null;
  readonly request_id: string;
  readonly requester_id: string | null;
  /** Every account the request targets. */
  readonly account_ids: string[];
  /** The accounts whose quorum this decision counts towards. */
  readonly counts_for: string[];
  readonly revision: number;
  readonly risk_score: number | null;
  readonly risk_band: string | null;
  /** When the reviewed revision was submitted (the request's submission, or the resubmission/edit). */
  readonly submitted_at: string | null;
  /** Whole seconds from `submitted_at` to `decided_at`. */
  readonly seconds_to_decision: number | null;
}

/** Totals for one approver over the shown rows. */
export interface ApproverTotals {
  readonly approver_id: string;
  readonly total: number;
  readonly approve: number;
  readonly reject: number;
  readonly request_changes: number;
  readonly mean_seconds_to_decision: number | null;
  readonly median_seconds_to_decision: number | null;
}

/** The approvals report's summary: totals per approver, ordered by approver id. */
export interface ApprovalReportSummary extends ListSummary {
  readonly approvers: ApproverTotals[];
}

function secondsBetween(from: string | null, to: string): number | null {
  if (from === null) return null;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : null;
}

/** Shapes stored records into report rows (pure). */
export function approvalReportRows(records: readonly ApprovalReportRecord[]): ApprovalReportRow[] {
  return records.map((r) => {
    const risk = riskOf(r.risk);
    return {
      review_id: r.reviewId,
      decided_at: r.decidedAt,
      approver_id: r.reviewerId,
      decision: r.decision,
      comment: r.comment,
      request_id: r.requestId,
      requester_id: r.requesterId,
      account_ids: [...r.accountIds],
      counts_for: [...r.countsFor],
      revision: r.revision,
      risk_score: risk.score,
      risk_band: risk.band,
      submitted_at: r.submittedAt,
      seconds_to_decision: secondsBetween(r.submittedAt, r.decidedAt),
    };
  });
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return value ?? null;
}

/** Totals per approver (decision counts, mean and median seconds to decision) over the shown rows. */
export function approvalReportSummary(
  rows: readonly ApprovalReportRow[],
  truncated: boolean,
): ApprovalReportSummary {
  const byApprover = new Map<string, ApprovalReportRow[]>();
  for (const row of rows) byApprover.set(row.approver_id, [...(byApprover.get(row.approver_id) ?? []), row]);
  const approvers = [...byApprover.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([approverId, mine]): ApproverTotals => {
      const waits = mine
        .map((r) => r.seconds_to_decision)
        .filter((s): s is number => s !== null)
        .sort((a, b) => a - b);
      return {
        approver_id: approverId,
        total: mine.length,
        approve: mine.filter((r) => r.decision === 'approve').length,
        reject: mine.filter((r) => r.decision === 'reject').length,
        request_changes: mine.filter((r) => r.decision === 'request_changes').length,
        mean_seconds_to_decision:
          waits.length === 0 ? null : Math.round(waits.reduce((s, x) => s + x, 0) / waits.length),
        median_seconds_to_decision: median(waits),
      };
    });
  return { count: rows.length, truncated, approvers };
}

/** The CSV columns, in order (id lists joined with `;`). */
export const APPROVAL_REPORT_COLUMNS: ReportColumns<ApprovalReportRow> = [
  { header: 'review_id', value: (r) => r.review_id },
  { header: 'decided_at', value: (r) => r.decided_at },
  { header: 'approver_id', value: (r) => r.approver_id },
  { header: 'decision', value: (r) => r.decision },
  { header: 'comment', value: (r) => r.comment },
  { header: 'request_id', value: (r) => r.request_id },
  { header: 'requester_id', value: (r) => r.requester_id },
  { header: 'account_ids', value: (r) => joinIds(r.account_ids) },
  { header: 'counts_for', value: (r) => joinIds(r.counts_for) },
  { header: 'revision', value: (r) => r.revision },
  { header: 'risk_score', value: (r) => r.risk_score },
  { header: 'risk_band', value: (r) => r.risk_band },
  { header: 'submitted_at', value: (r) => r.submitted_at },
  { header: 'seconds_to_decision', value: (r) => r.seconds_to_decision },
];
