import { createRoute, z } from '@hono/zod-openapi';
import type { AuditEvent } from '../../audit/audit-event.ts';
import { MAX_AUDIT_PAGE } from '../../audit/query.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, cursorParam, jsonContent, limitParam } from '../schemas.ts';

const instant = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ param: { name, in: 'query' }, description, example: '2026-11-23T00:00:00Z' });

const AuditQuery = z.object({
  since: instant('since', 'Events at or after this instant (ISO 8601)'),
  until: instant('until', 'Events strictly before this instant (ISO 8601)'),
  actor: z
    .string()
    .optional()
    .openapi({ param: { name: 'actor', in: 'query' }, example: 'email:alice@example.com' }),
  action: z
    .string()
    .optional()
    .openapi({ param: { name: 'action', in: 'query' }, example: 'request.approved' }),
  subject: z
    .string()
    .optional()
    .openapi({ param: { name: 'subject', in: 'query' }, description: 'Request, grant, user or account id' }),
  after: cursorParam('after'),
  limit: limitParam(MAX_AUDIT_PAGE),
});

const AuditEventSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEvent');

const AuditPageSchema = z
  .object({ events: z.array(AuditEventSchema), next_cursor: z.string().nullable() })
  .openapi('AuditPage');

function eventJson(e: AuditEvent) {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    // JsonObject is a readonly JSON value: serialisable as is.
    data: e.data as Record<string, unknown>,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** `GET /api/v1/audit` (admin): the hash-chained audit log, oldest first, with filters and keyset paging. */
export function registerAuditRoutes(app: ApiApp, { services }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags: ['audit'],
      summary: 'Read the audit log (admin)',
      middleware: [requireRole('admin')] as const,
      request: { query: AuditQuery },
      responses: { 200: jsonContent(AuditPageSchema, 'Events in seq order'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await services.audit.list({
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
        ...(q.until !== undefined ? { until: new Date(q.until) } : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.subject !== undefined ? { subject: q.subject } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
      });
      return c.json({ events: page.events.map(eventJson), next_cursor: page.nextCursor ?? null }, 200);
    },
  );
}
