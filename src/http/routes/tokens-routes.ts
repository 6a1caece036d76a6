import { createRoute, z } from '@hono/zod-openapi';
import type { ApiTokenRecord } from '../../identity/ports.ts';
import { hasRole } from '../../identity/user.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { HttpError } from '../errors.ts';
import { COMMON_ERRORS, errorContent, jsonBody, jsonContent } from '../schemas.ts';

const TokenSchema = z
  .object({
    token_hash: z.string().openapi({ description: 'SHA-256 hex of the token; its public id' }),
    user_id: z.string(),
    label: z.string().nullable(),
    created_at: z.string().openapi({ format: 'date-time' }),
    last_used_at: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiToken');
const CreatedToken = TokenSchema.extend({
  token: z.string().openapi({ description: 'The token itself (iamjit_…); shown only in this response' }),
}).openapi('CreatedApiToken');
const CreateBody = z
  .object({ label: z.string().max(100).optional() })
  .strict()
  .openapi('CreateApiToken');
const ListQuery = z.object({
  user_id: z
    .string()
    .optional()
    .openapi({ param: { name: 'user_id', in: 'query' }, description: 'Admins: another user' }),
});

function tokenJson(t: ApiTokenRecord): z.infer<typeof TokenSchema> {
  return {
    token_hash: t.tokenHash,
    user_id: t.userId,
    label: t.label,
    created_at: t.createdAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
  };
}

/** `POST/GET /api/v1/tokens`, `DELETE /api/v1/tokens/{token_hash}`: the caller's API tokens (admins: anyone's). */
export function registerTokenRoutes(app: ApiApp, { services }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tokens',
      tags: ['tokens'],
      summary: 'Create an API token for the caller',
      description: "Returns the token once; only its SHA-256 is stored. It carries its owner's roles.",
      request: { body: jsonBody(CreateBody, { required: false }) },
      responses: {
        201: jsonContent(CreatedToken, 'Created'),
        ...COMMON_ERRORS,
        409: errorContent('TokenLimitReached: the per-user token cap'),
      },
    }),
    async (c) => {
      const { label } = c.req.valid('json');
      const { token, record } = await services.tokens.create(c.get('principal').user.id, {
        label: label ?? null,
        actor: c.get('principal').user.id,
      });
      return c.json({ ...tokenJson(record), token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/tokens',
      tags: ['tokens'],
      summary: 'List API tokens (hashes, labels, created and last used)',
      request: { query: ListQuery },
      responses: {
        200: jsonContent(z.object({ tokens: z.array(TokenSchema) }).openapi('ApiTokenList'), 'Newest first'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { user_id: other } = c.req.valid('query');
      if (other !== undefined && other !== principal.user.id && !hasRole(principal.user, 'admin'))
        throw new HttpError('Forbidden', 'admin role required');
      const list = await services.tokens.list(other ?? principal.user.id);
      return c.json({ tokens: list.map(tokenJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/tokens/{token_hash}',
      tags: ['tokens'],
      summary: 'Revoke an API token',
      description: "Your own tokens; admins may revoke anyone's. Another user's token is 404 to non-admins.",
      request: {
        params: z.object({ token_hash: z.string().openapi({ param: { name: 'token_hash', in: 'path' } }) }),
      },
      responses: { 204: { description: 'Revoked' }, ...COMMON_ERRORS, 404: errorContent('No such token') },
    }),
    async (c) => {
      const principal = c.get('principal');
      await services.tokens.revoke(
        c.req.valid('param').token_hash,
        hasRole(principal.user, 'admin')
          ? { actor: principal.user.id }
          : { ownerId: principal.user.id, actor: principal.user.id },
      );
      return c.body(null, 204);
    },
  );
}
