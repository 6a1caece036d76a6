import { createRoute, z } from '@hono/zod-openapi';
import { NOTICE_TYPES } from '../../notify/notice.ts';
import type { Delivery, DeliveryAttempt, WebhookSubscription } from '../../notify/ports.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, cursorParam, errorContent, jsonBody, jsonContent, limitParam } from '../schemas.ts';

const WebhookIdParam = z.object({
  webhook_id: z.string().openapi({ param: { name: 'webhook_id', in: 'path' }, example: 'whk_3k9…' }),
});

const EventFilter = z.array(z.enum(['*', ...NOTICE_TYPES])).openapi({
  description: 'Notice types to deliver, or ["*"] for all (default)',
  example: ['request.submitted'],
});

/** API schema (also typed into the client). */
export const CreateWebhookBody = z
  .object({
    url: z.string().openapi({ example: 'https://hooks.example.com/iam-jit' }),
    events: EventFilter.optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateWebhook');
/** API schema (also typed into the client). */
export const PatchWebhookBody = z
  .object({
    url: z.string().optional(),
    events: EventFilter.optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateWebhook');

/** API schema (also typed into the client). */
export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    enabled: z.boolean(),
    created_by: z.string(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Webhook');
/** API schema (also typed into the client). */
export const WebhookWithSecret = WebhookSchema.extend({
  secret: z.string().openapi({
    description: 'The signing secret (whsec_…). Shown only in this response: store it now.',
    example: 'whsec_…',
  }),
}).openapi('WebhookWithSecret');
const WebhookList = z
  .object({ webhooks: z.array(WebhookSchema), next_cursor: z.string().nullable() })
  .openapi('WebhookList');

const AttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
});
const DeliverySchema = z
  .object({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    channel: z.string(),
    status: z.string().openapi({ description: 'pending, failed (retrying), delivered, dead or skipped' }),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    attempt_log: z.array(AttemptSchema),
  })
  .openapi('WebhookDelivery');
/** API schema (also typed into the client). */
export const DeliveryPageSchema = z
  .object({ deliveries: z.array(DeliverySchema), next_cursor: z.string().nullable() })
  .openapi('WebhookDeliveryPage');

/** The API form of a subscription (never its secret). */
export function webhookJson(s: WebhookSubscription): z.infer<typeof WebhookSchema> {
  return {
    id: s.id,
    url: s.url,
    events: [...s.events],
    description: s.description,
    enabled: s.enabled,
    created_by: s.createdBy,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

function deliveryJson(
  d: Delivery & { attemptLog: readonly DeliveryAttempt[] },
): z.infer<typeof DeliverySchema> {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
    attempt_log: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      status_code: a.statusCode,
      error: a.error,
      duration_ms: a.durationMs,
    })),
  };
}

const notFound = errorContent('No such webhook');

/**
 * `POST/GET /api/v1/webhooks`, `GET/PATCH/DELETE /api/v1/webhooks/{webhook_id}`, `POST …/rotate-secret`,
 * `POST …/test` and `GET …/deliveries`: admin only. The secret is returned by create and rotate only.
 */
export function registerWebhookRoutes(app: ApiApp, { services }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/webhooks',
      tags: ['webhooks'],
      summary: 'Subscribe a URL to notifications (admin); the secret is shown once',
      middleware: [requireRole('admin')] as const,
      request: { body: jsonBody(CreateWebhookBody) },
      responses: { 201: jsonContent(WebhookWithSecret, 'Created, with its secret'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { subscription, secret } = await services.webhooks.create(c.get('principal').user.id, body);
      return c.json({ ...webhookJson(subscription), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/webhooks',
      tags: ['webhooks'],
      summary: 'List webhook subscriptions (admin)',
      middleware: [requireRole('admin')] as const,
      request: { query: z.object({ limit: limitParam(500), after: cursorParam('after') }) },
      responses: { 200: jsonContent(WebhookList, 'Subscriptions ordered by id'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { limit = 100, after } = c.req.valid('query');
      const page = await services.webhooks.list({
        limit: limit + 1,
        ...(after === undefined ? {} : { after }),
      });
      const shown = page.slice(0, limit);
      const next = page.length > limit ? (shown.at(-1)?.id ?? null) : null;
      return c.json({ webhooks: shown.map(webhookJson), next_cursor: next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/webhooks/{webhook_id}',
      tags: ['webhooks'],
      summary: 'Get a webhook subscription (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: WebhookIdParam },
      responses: { 200: jsonContent(WebhookSchema, 'The subscription'), ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => c.json(webhookJson(await services.webhooks.get(c.req.valid('param').webhook_id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/webhooks/{webhook_id}',
      tags: ['webhooks'],
      summary: 'Change a webhook subscription (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: WebhookIdParam, body: jsonBody(PatchWebhookBody) },
      responses: { 200: jsonContent(WebhookSchema, 'Updated'), ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => {
      const updated = await services.webhooks.update(
        c.get('principal').user.id,
        c.req.valid('param').webhook_id,
        c.req.valid('json'),
      );
      return c.json(webhookJson(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/webhooks/{webhook_id}',
      tags: ['webhooks'],
      summary: 'Delete a webhook subscription (admin); pending deliveries to it are skipped',
      middleware: [requireRole('admin')] as const,
      request: { params: WebhookIdParam },
      responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => {
      await services.webhooks.remove(c.get('principal').user.id, c.req.valid('param').webhook_id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/webhooks/{webhook_id}/rotate-secret',
      tags: ['webhooks'],
      summary: 'Replace the signing secret (admin); the new one is shown once',
      middleware: [requireRole('admin')] as const,
      request: { params: WebhookIdParam },
      responses: { 200: jsonContent(WebhookWithSecret, 'The new secret'), ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => {
      const { subscription, secret } = await services.webhooks.rotateSecret(
        c.get('principal').user.id,
        c.req.valid('param').webhook_id,
      );
      return c.json({ ...webhookJson(subscription), secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/webhooks/{webhook_id}/test',
      tags: ['webhooks'],
      summary: 'Send a signed ping to the subscription (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: WebhookIdParam },
      responses: {
        202: jsonContent(z.object({ delivery_id: z.string() }).openapi('WebhookTest'), 'Ping queued'),
        ...COMMON_ERRORS,
        404: notFound,
      },
    }),
    async (c) => {
      const id = await services.webhooks.test(c.get('principal').user.id, c.req.valid('param').webhook_id);
      return c.json({ delivery_id: id }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/webhooks/{webhook_id}/deliveries',
      tags: ['webhooks'],
      summary: 'The delivery log of a subscription, newest first (admin)',
      middleware: [requireRole('admin')] as const,
      request: {
        params: WebhookIdParam,
        query: z.object({ limit: limitParam(200), cursor: cursorParam('cursor') }),
      },
      responses: {
        200: jsonContent(DeliveryPageSchema, 'Deliveries with their attempts'),
        ...COMMON_ERRORS,
        404: notFound,
      },
    }),
    async (c) => {
      const { limit = 50, cursor } = c.req.valid('query');
      const page = await services.webhooks.deliveries(c.req.valid('param').webhook_id, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({ deliveries: page.deliveries.map(deliveryJson), next_cursor: page.nextCursor }, 200);
    },
  );
}
