import type { StoredAuditRecord } from '../audit-event.ts';

/** A time window: `since` inclusive, `until` exclusive; either may be absent. */
export interface ReportWindow {
  readonly since?: Date;
  readonly until?: Date;
}

/** Grants created in the window, optionally of one status and one account. */
export interface GrantReportQuery extends ReportWindow {
  readonly status?: string;
  readonly accountId?: string;
}

/** One grant with its account, request and approved revision's risk, as the store reads it. */
export interface GrantReportRecord {
  readonly grantId: string;
  readonly requestId: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly environment: string | null;
  readonly requesterId: string;
  readonly approverIds: readonly string[];
  readonly revision: number;
  readonly mode: string;
  readonly status: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly activatedAt: string | null;
  readonly endedAt: string | null;
  readonly endReason: string | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
  readonly createdAt: string;
  /** The approved revision's stored risk review (JSON text), or null when that revision is missing. */
  readonly risk: string | null;
  readonly justification: string | null;
}

/** Audit events in the window; with `userId`, those the user caused or that are about them, their requests or grants. */
export interface ActivityReportQuery extends ReportWindow {
  readonly userId?: string;
}

/** Review decisions made in the window, optionally by one approver. */
export interface ApprovalReportQuery extends ReportWindow {
  readonly approverId?: string;
}

/** One review decision with its request and the reviewed revision, as the store reads it. */
export interface ApprovalReportRecord {
  readonly reviewId: string;
  readonly requestId: string;
  readonly requesterId: string | null;
  /** Every account the request targets. */
  readonly accountIds: readonly string[];
  /** The accounts whose quorum the decision counts towards. */
  readonly countsFor: readonly string[];
  readonly reviewerId: string;
  readonly decision: string;
  readonly comment: string | null;
  readonly revision: number;
  /** The reviewed revision's stored risk review (JSON text), or null when it is missing. */
  readonly risk: string | null;
  /** When the reviewed revision was submitted. */
  readonly submittedAt: string | null;
  readonly decidedAt: string;
}

/** Requests created in the window, optionally only those targeting one account. */
export interface RiskReportQuery extends ReportWindow {
  readonly accountId?: string;
}

/** How many requests have this current-revision risk score and this status. */
export interface RiskScoreCount {
  readonly score: number;
  readonly status: string;
  readonly count: number;
}

/** How many requests target an account of this environment and have this status (a request counts once per environment). */
export interface RiskEnvironmentCount {
  readonly environment: string;
  readonly status: string;
  readonly count: number;
}

/**
 * Read-only queries behind the reports. Implemented in store/ (`createReportsRepo(db, dialect)`). Every list method
 * returns at most `limit` rows, oldest first, so a caller asking for `limit + 1` learns whether more exist.
 */
export interface ReportsRepo {
  grants(query: GrantReportQuery, limit: number): Promise<GrantReportRecord[]>;
  activity(query: ActivityReportQuery, limit: number): Promise<StoredAuditRecord[]>;
  approvals(query: ApprovalReportQuery, limit: number): Promise<ApprovalReportRecord[]>;
  /** Aggregates (never more than 10 × statuses rows, and environments × statuses rows). */
  riskCounts(
    query: RiskReportQuery,
  ): Promise<{ byScore: RiskScoreCount[]; byEnvironment: RiskEnvironmentCount[] }>;
}
