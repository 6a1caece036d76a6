import { createRoute, z } from '@hono/zod-openapi';
import { CHAT_KINDS, type ChatBinding } from '../../notify/ports.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, errorContent, jsonBody, jsonContent } from '../schemas.ts';

const AccountIdParam = z.object({
  account_id: z.string().openapi({ param: { name: 'account_id', in: 'path' }, example: '111122223333' }),
});
const BindingParams = AccountIdParam.extend({
  binding_id: z.string().openapi({ param: { name: 'binding_id', in: 'path' }, example: 'chb_3k9…' }),
});

/** API schema (also typed into the client). */
export const ChatBindingSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    kind: z.enum(CHAT_KINDS),
    url: z.string().openapi({ description: 'Masked: the incoming-webhook URL is a secret' }),
    created_by: z.string(),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ChatBinding');
const CreateChatBindingBody = z
  .object({
    kind: z.enum(CHAT_KINDS),
    url: z.string().openapi({ example: 'https://hooks.slack.com/services/T000/B000/abc123' }),
  })
  .strict()
  .openapi('CreateChatBinding');

function bindingJson(b: ChatBinding): z.infer<typeof ChatBindingSchema> {
  return {
    id: b.id,
    account_id: b.accountId,
    kind: b.kind,
    url: b.urlMasked,
    created_by: b.createdBy,
    created_at: b.createdAt.toISOString(),
  };
}

const forbiddenOrMissing = {
  403: errorContent('approver role required / approver role for this account required'),
  404: errorContent('No such account or binding'),
};

/**
 * `GET/POST /api/v1/accounts/{account_id}/chat-bindings`, `DELETE …/{binding_id}`: Slack or Mattermost incoming
 * webhooks bound to an account, managed by the account's approvers and admins. URLs are shown masked.
 */
export function registerChatBindingRoutes(app: ApiApp, { services }: RouteDeps): void {
  const actor = (p: { user: { id: string; roles: readonly string[] } }) => ({
    id: p.user.id,
    roles: p.user.roles,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{account_id}/chat-bindings',
      tags: ['notifications'],
      summary: "List an account's chat bindings (its approvers, admins)",
      middleware: [requireRole('approver')] as const,
      request: { params: AccountIdParam },
      responses: {
        200: jsonContent(
          z.object({ bindings: z.array(ChatBindingSchema) }).openapi('ChatBindingList'),
          'Bindings',
        ),
        ...COMMON_ERRORS,
        ...forbiddenOrMissing,
      },
    }),
    async (c) => {
      const list = await services.chatBindings.list(
        actor(c.get('principal')),
        c.req.valid('param').account_id,
      );
      return c.json({ bindings: list.map(bindingJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts/{account_id}/chat-bindings',
      tags: ['notifications'],
      summary: 'Bind a Slack or Mattermost incoming webhook to an account (its approvers, admins)',
      middleware: [requireRole('approver')] as const,
      request: { params: AccountIdParam, body: jsonBody(CreateChatBindingBody) },
      responses: { 201: jsonContent(ChatBindingSchema, 'Created'), ...COMMON_ERRORS, ...forbiddenOrMissing },
    }),
    async (c) => {
      const created = await services.chatBindings.create(
        actor(c.get('principal')),
        c.req.valid('param').account_id,
        c.req.valid('json'),
      );
      return c.json(bindingJson(created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{account_id}/chat-bindings/{binding_id}',
      tags: ['notifications'],
      summary: 'Remove a chat binding (its approvers, admins)',
      middleware: [requireRole('approver')] as const,
      request: { params: BindingParams },
      responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS, ...forbiddenOrMissing },
    }),
    async (c) => {
      const { account_id, binding_id } = c.req.valid('param');
      await services.chatBindings.remove(actor(c.get('principal')), account_id, binding_id);
      return c.body(null, 204);
    },
  );
}
