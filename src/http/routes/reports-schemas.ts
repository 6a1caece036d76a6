// The report bodies as the API documents them (OpenAPI components); the client takes its types from these.
import { z } from '@hono/zod-openapi';

const Nullable = { str: z.string().nullable(), num: z.number().nullable() };
const ListSummary = { count: z.number().int(), truncated: z.boolean() };

export const GrantReportRowSchema = z
  .object({
    grant_id: z.string(),
    request_id: z.string(),
    account_id: z.string(),
    account_name: Nullable.str,
    environment: Nullable.str,
    requester_id: z.string(),
    requester_email: Nullable.str,
    approver_ids: z.array(z.string()),
    mode: z.string(),
    status: z.string(),
    revision: z.number().int(),
    risk_score: Nullable.num,
    risk_band: Nullable.str,
    created_at: z.string(),
    not_before: z.string(),
    not_after: z.string(),
    activated_at: Nullable.str,
    ended_at: Nullable.str,
    revoked_by: Nullable.str,
    revoke_reason: Nullable.str,
    end_reason: Nullable.str,
    justification: Nullable.str,
  })
  .openapi('GrantReportRow');

const ActivityRow = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: Nullable.str,
    relation: z.enum(['did', 'about']).nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('ActivityReportRow');

const ApprovalRow = z
  .object({
    review_id: z.string(),
    decided_at: z.string(),
    approver_id: z.string(),
    decision: z.string(),
    comment: Nullable.str,
    request_id: z.string(),
    requester_id: Nullable.str,
    account_ids: z.array(z.string()),
    counts_for: z.array(z.string()),
    revision: z.number().int(),
    risk_score: Nullable.num,
    risk_band: Nullable.str,
    submitted_at: Nullable.str,
    seconds_to_decision: Nullable.num,
  })
  .openapi('ApprovalReportRow');

const RiskRow = z
  .object({
    dimension: z.enum(['score', 'band', 'environment']),
    key: z.string(),
    requests: z.number().int(),
    approved: z.number().int(),
    rejected: z.number().int(),
    pending: z.number().int(),
    cancelled: z.number().int(),
    timed_out: z.number().int(),
  })
  .openapi('RiskReportRow');

const envelope = <R extends z.ZodType, S extends z.ZodType>(name: string, row: R, summary: S) =>
  z.object({ items: z.array(row), summary, generated_at: z.string() }).openapi(name);

export const GrantsReportSchema = envelope(
  'GrantsReport',
  GrantReportRowSchema,
  z.object({ ...ListSummary, by_status: z.record(z.string(), z.number().int()) }),
);
export const ActivityReportSchema = envelope(
  'ActivityReport',
  ActivityRow,
  z.object({ ...ListSummary, by_action: z.record(z.string(), z.number().int()) }),
);
export const ApprovalsReportSchema = envelope(
  'ApprovalsReport',
  ApprovalRow,
  z.object({
    ...ListSummary,
    approvers: z.array(
      z.object({
        approver_id: z.string(),
        total: z.number().int(),
        approve: z.number().int(),
        reject: z.number().int(),
        request_changes: z.number().int(),
        mean_seconds_to_decision: Nullable.num,
        median_seconds_to_decision: Nullable.num,
      }),
    ),
  }),
);
export const RiskReportSchema = envelope(
  'RiskDistributionReport',
  RiskRow,
  z.object({ total_requests: z.number().int() }),
);
