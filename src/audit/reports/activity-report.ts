/** The activity report: audit events a user caused ("did") or that concern them, their requests or grants ("about"). */
import type { StoredAuditRecord } from '../audit-event.ts';
import { canonicalJson, type JsonObject } from '../canonical-json.ts';
import { countBy, type ListSummary, type ReportColumns } from './report.ts';

/** One audit event as the report shows it. */
export interface ActivityReportRow {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  /** With a user filter: `did` when the user was the actor, `about` otherwise; null without a user filter. */
  readonly relation: 'did' | 'about' | null;
  /** The event's details (never tokens, links or secrets: the audit log holds none). */
  readonly data: JsonObject;
}

/** The activity report's summary: counts per action. */
export interface ActivityReportSummary extends ListSummary {
  readonly by_action: Record<string, number>;
}

/** Shapes stored events into report rows (pure). Throws Error when a stored `data` is not JSON (run verify). */
export function activityReportRows(
  records: readonly StoredAuditRecord[],
  userId: string | undefined,
): ActivityReportRow[] {
  return records.map((e) => ({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    relation: userId === undefined ? null : e.actor === userId ? 'did' : 'about',
    data: JSON.parse(e.data) as JsonObject,
  }));
}

/** Counts per action of the shown rows. */
export function activityReportSummary(
  rows: readonly ActivityReportRow[],
  truncated: boolean,
): ActivityReportSummary {
  return { count: rows.length, truncated, by_action: countBy(rows.map((r) => r.action)) };
}

/** The CSV columns, in order (`data` as canonical JSON text). */
export const ACTIVITY_REPORT_COLUMNS: ReportColumns<ActivityReportRow> = [
  { header: 'seq', value: (r) => r.seq },
  { header: 'at', value: (r) => r.at },
  { header: 'actor', value: (r) => r.actor },
  { header: 'action', value: (r) => r.action },
  { header: 'subject', value: (r) => r.subject },
  { header: 'relation', value: (r) => r.relation },
  { header: 'data', value: (r) => canonicalJson(r.data) },
];
