/** The grants report: one row per grant — who got which access where, approved by whom, and how it ended. */
import type { GrantReportRecord } from './ports.ts';
import { countBy, emailOf, joinIds, type ListSummary, type ReportColumns, riskOf } from './report.ts';

/** One grant as the report shows it (JSON item; the CSV has the same columns). */
export interface GrantReportRow {
  readonly grant_id: string;
  readonly request_id: string;
  readonly account_id: string;
  readonly account_name: string | null;
  readonly environment: string | null;
  readonly requester_id: string;
  readonly requester_email: string | null;
  readonly approver_ids: string[];
  readonly mode: string;
  readonly status: string;
  readonly revision: number;
  /** Risk score (1–10) and band of the approved revision. */
  readonly risk_score: number | null;
  readonly risk_band: string | null;
  readonly created_at: string;
  readonly not_before: string;
  readonly not_after: string;
  readonly activated_at: string | null;
  readonly ended_at: string | null;
  readonly revoked_by: string | null;
  readonly revoke_reason: string | null;
  readonly end_reason: string | null;
  readonly justification: string | null;
}

/** The grants report's summary: counts per grant status. */
export interface GrantReportSummary extends ListSummary {
  readonly by_status: Record<string, number>;
}

/** Shapes stored records into report rows (pure). */
export function grantReportRows(records: readonly GrantReportRecord[]): GrantReportRow[] {
  return records.map((g) => {
    const risk = riskOf(g.risk);
    return {
      grant_id: g.grantId,
      request_id: g.requestId,
      account_id: g.accountId,
      account_name: g.accountName,
      environment: g.environment,
      requester_id: g.requesterId,
      requester_email: emailOf(g.requesterId),
      approver_ids: [...g.approverIds],
      mode: g.mode,
      status: g.status,
      revision: g.revision,
      risk_score: risk.score,
      risk_band: risk.band,
      created_at: g.createdAt,
      not_before: g.notBefore,
      not_after: g.notAfter,
      activated_at: g.activatedAt,
      ended_at: g.endedAt,
      revoked_by: g.revokedBy,
      revoke_reason: g.revokeReason,
      end_reason: g.endReason,
      justification: g.justification,
    };
  });
}

/** Counts per status of the shown rows. */
export function grantReportSummary(rows: readonly GrantReportRow[], truncated: boolean): GrantReportSummary {
  return { count: rows.length, truncated, by_status: countBy(rows.map((r) => r.status)) };
}

/** The CSV columns, in order (approver ids joined with `;`). */
export const GRANT_REPORT_COLUMNS: ReportColumns<GrantReportRow> = [
  { header: 'grant_id', value: (r) => r.grant_id },
  { header: 'request_id', value: (r) => r.request_id },
  { header: 'account_id', value: (r) => r.account_id },
  { header: 'account_name', value: (r) => r.account_name },
  { header: 'environment', value: (r) => r.environment },
  { header: 'requester_id', value: (r) => r.requester_id },
  { header: 'requester_email', value: (r) => r.requester_email },
  { header: 'approver_ids', value: (r) => joinIds(r.approver_ids) },
  { header: 'mode', value: (r) => r.mode },
  { header: 'status', value: (r) => r.status },
  { header: 'revision', value: (r) => r.revision },
  { header: 'risk_score', value: (r) => r.risk_score },
  { header: 'risk_band', value: (r) => r.risk_band },
  { header: 'created_at', value: (r) => r.created_at },
  { header: 'not_before', value: (r) => r.not_before },
  { header: 'not_after', value: (r) => r.not_after },
  { header: 'activated_at', value: (r) => r.activated_at },
  { header: 'ended_at', value: (r) => r.ended_at },
  { header: 'revoked_by', value: (r) => r.revoked_by },
  { header: 'revoke_reason', value: (r) => r.revoke_reason },
  { header: 'end_reason', value: (r) => r.end_reason },
  { header: 'justification', value: (r) => r.justification },
];
