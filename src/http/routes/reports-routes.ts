import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DEFAULT_REPORT_LIMIT, MAX_REPORT_LIMIT, type ReportKind } from '../../audit/reports/report.ts';
import { type ReportService, reportCsv, reportFilename } from '../../audit/reports/report-service.ts';
import { GRANT_STATES } from '../../grants/grant.ts';
import type { ApiApp, ApiEnv, RouteDeps } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS } from '../schemas.ts';
import {
  ActivityReportSchema,
  ApprovalsReportSchema,
  GrantsReportSchema,
  RiskReportSchema,
} from './reports-schemas.ts';

const instant = (name: 'since' | 'until', description: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: `${name} must be an ISO-8601 date (2026-11-23) or date-time with offset (2026-11-23T10:00:00Z)`,
    })
    .optional()
    .openapi({ param: { name, in: 'query' }, description, example: '2026-11-01T00:00:00Z' });

const Window = {
  since: instant('since', 'From this instant, inclusive (a bare date means 00:00 UTC)'),
  until: instant('until', 'Up to this instant, exclusive (a bare date means 00:00 UTC)'),
};

const Format = {
  format: z
    .enum(['json', 'csv'])
    .optional()
    .openapi({ param: { name: 'format', in: 'query' }, description: 'Default json' }),
};

const Limit = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_REPORT_LIMIT, {
      error: `limit must be at most ${MAX_REPORT_LIMIT}; narrow the time window (since/until) instead`,
    })
    .optional()
    .openapi({
      param: { name: 'limit', in: 'query' },
      description: `Most rows returned, 1–${MAX_REPORT_LIMIT} (default ${DEFAULT_REPORT_LIMIT}); summary.truncated says when more matched`,
    }),
};

const accountIdParam = z
  .string()
  .regex(/^[0-9]{12}$/, { error: 'account_id must be a 12-digit AWS account id' })
  .optional()
  .openapi({ param: { name: 'account_id', in: 'query' }, example: '111122223333' });

const userIdParam = (name: 'user_id' | 'approver_id') =>
  z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .openapi({ param: { name, in: 'query' }, example: 'email:alice@example.com' });

/** The 200 response: JSON by default, `text/csv` with `?format=csv`. */
function reportContent<T extends z.ZodType>(schema: T, kind: ReportKind) {
  return {
    description: `JSON report, or with ?format=csv an RFC 4180 CSV download (header row, CRLF, formula-safe cells; Content-Disposition: attachment; filename="iam-jit-${kind}-<date>.csv")`,
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string().openapi({ description: 'CSV text with a header row' }) },
    },
  };
}

const date = (s: string | undefined): Date | undefined => (s === undefined ? undefined : new Date(s));

/** The window and limit of a parsed query, without absent keys. */
function windowOf(q: { since?: string | undefined; until?: string | undefined; limit?: number | undefined }) {
  const since = date(q.since);
  const until = date(q.until);
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
  };
}

/** Sends the report as JSON or as a CSV attachment; `X-IAM-JIT-Report-Truncated` mirrors `summary.truncated`. */
function send<R extends { generatedAt: Date; items: unknown[]; summary: unknown }>(
  c: Context<ApiEnv>,
  kind: ReportKind,
  report: R,
  format: 'json' | 'csv' | undefined,
  csv: (report: R) => string,
): Response {
  const truncated = (report.summary as { truncated?: unknown }).truncated === true;
  const headers = { 'X-IAM-JIT-Report-Truncated': String(truncated), 'Cache-Control': 'no-store' };
  if (format === 'csv')
    return c.body(csv(report), 200, {
      ...headers,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFilename(kind, report.generatedAt)}"`,
    });
  return c.json(
    { items: report.items, summary: report.summary, generated_at: report.generatedAt.toISOString() },
    200,
    headers,
  );
}

/**
 * `GET /api/v1/reports/{grants,activity,approvals,risk-distribution}` (admin only: others get 403 `admin role
 * required`), JSON or CSV (docs/reports.md).
 */
export function registerReportRoutes(app: ApiApp, { services }: RouteDeps): void {
  // Read at call time: building the app (e.g. for the OpenAPI document) touches no service.
  const reports = (): ReportService => services.reports;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/grants',
      tags: ['reports'],
      summary: 'Grants report: one row per grant created in the window (admin)',
      middleware: [requireRole('admin')] as const,
      request: {
        query: z.object({
          status: z
            .enum(GRANT_STATES)
            .optional()
            .openapi({ param: { name: 'status', in: 'query' } }),
          account_id: accountIdParam,
          ...Window,
          ...Limit,
          ...Format,
        }),
      },
      responses: { 200: reportContent(GrantsReportSchema, 'grants'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const report = await reports().grants({
        ...windowOf(q),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.account_id !== undefined ? { accountId: q.account_id } : {}),
      });
      return send(c, 'grants', report, q.format, (r) => reportCsv('grants', r));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/activity',
      tags: ['reports'],
      summary:
        'Activity report: audit events a user caused or that concern them, their requests or grants (admin)',
      middleware: [requireRole('admin')] as const,
      request: { query: z.object({ user_id: userIdParam('user_id'), ...Window, ...Limit, ...Format }) },
      responses: { 200: reportContent(ActivityReportSchema, 'activity'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const report = await reports().activity({
        ...windowOf(q),
        ...(q.user_id !== undefined ? { userId: q.user_id } : {}),
      });
      return send(c, 'activity', report, q.format, (r) => reportCsv('activity', r));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/approvals',
      tags: ['reports'],
      summary: 'Approvals report: each review decision with time to decision, totals per approver (admin)',
      middleware: [requireRole('admin')] as const,
      request: {
        query: z.object({ approver_id: userIdParam('approver_id'), ...Window, ...Limit, ...Format }),
      },
      responses: { 200: reportContent(ApprovalsReportSchema, 'approvals'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const report = await reports().approvals({
        ...windowOf(q),
        ...(q.approver_id !== undefined ? { approverId: q.approver_id } : {}),
      });
      return send(c, 'approvals', report, q.format, (r) => reportCsv('approvals', r));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/risk-distribution',
      tags: ['reports'],
      summary: 'Risk distribution: requests per score 1–10, band and environment, with outcomes (admin)',
      middleware: [requireRole('admin')] as const,
      request: { query: z.object({ account_id: accountIdParam, ...Window, ...Format }) },
      responses: { 200: reportContent(RiskReportSchema, 'risk-distribution'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const report = await reports().riskDistribution({
        ...windowOf(q),
        ...(q.account_id !== undefined ? { accountId: q.account_id } : {}),
      });
      return send(c, 'risk-distribution', report, q.format, (r) => reportCsv('risk-distribution', r));
    },
  );
}
