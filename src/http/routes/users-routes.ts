import { createRoute, z } from '@hono/zod-openapi';
import { BrokerError } from '../../lib/errors.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import {
  COMMON_ERRORS,
  cursorParam,
  errorContent,
  jsonBody,
  jsonContent,
  limitParam,
  RoleSchema,
  UserSchema,
  userJson,
} from '../schemas.ts';

const UserIdParam = z.object({
  user_id: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'user_id', in: 'path' },
      example: 'email:alice@example.com',
      description: 'URL-encoded user id',
    }),
});
const CreateUserBody = z
  .object({
    user_id: z.string().min(1).max(2048).openapi({ example: 'email:alice@example.com' }),
    display_name: z.string().optional(),
    roles: z.array(RoleSchema).optional().openapi({ description: 'Default ["requester"]' }),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateUser');
const PatchUserBody = z
  .object({
    display_name: z.string().optional(),
    roles: z.array(RoleSchema).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateUser');
const ListQuery = z.object({
  limit: limitParam(500),
  after: cursorParam('after'),
  role: RoleSchema.optional().openapi({ param: { name: 'role', in: 'query' } }),
});
const UserList = z
  .object({ users: z.array(UserSchema), next_cursor: z.string().nullable() })
  .openapi('UserList');

const CONFLICT = errorContent(
  'UserExists, or LastAdmin: the last enabled admin cannot be demoted, disabled or deleted',
);

/** Admin user management: `POST/GET /api/v1/users`, `GET/PATCH/DELETE /api/v1/users/{user_id}`. */
export function registerUserRoutes(app: ApiApp, { services }: RouteDeps): void {
  const { users } = services;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags: ['users'],
      summary: 'Create a user (admin)',
      middleware: [requireRole('admin')] as const,
      request: { body: jsonBody(CreateUserBody) },
      responses: { 201: jsonContent(UserSchema, 'Created'), ...COMMON_ERRORS, 409: CONFLICT },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await users.create(
        {
          id: body.user_id,
          ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
          ...(body.roles !== undefined ? { roles: body.roles } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        },
        c.get('principal').user.id,
      );
      return c.json(userJson(user), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users',
      tags: ['users'],
      summary: 'List users (admin)',
      middleware: [requireRole('admin')] as const,
      request: { query: ListQuery },
      responses: { 200: jsonContent(UserList, 'Users ordered by id'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { limit = 100, after, role } = c.req.valid('query');
      const page = await users.list({
        limit: limit + 1,
        ...(after !== undefined ? { after } : {}),
        ...(role !== undefined ? { role } : {}),
      });
      const shown = page.slice(0, limit);
      const next = page.length > limit ? (shown.at(-1)?.id ?? null) : null;
      return c.json({ users: shown.map(userJson), next_cursor: next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}',
      tags: ['users'],
      summary: 'Get a user (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: UserIdParam },
      responses: {
        200: jsonContent(UserSchema, 'The user'),
        ...COMMON_ERRORS,
        404: errorContent('No such user'),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').user_id;
      const user = await users.get(id);
      if (user === undefined) throw new BrokerError('NotFound', `user ${id} not found`);
      return c.json(userJson(user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/users/{user_id}',
      tags: ['users'],
      summary: 'Change display name, roles or enabled (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: UserIdParam, body: jsonBody(PatchUserBody) },
      responses: {
        200: jsonContent(UserSchema, 'Updated'),
        ...COMMON_ERRORS,
        404: errorContent('No such user'),
        409: CONFLICT,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await users.update(
        c.req.valid('param').user_id,
        {
          ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
          ...(body.roles !== undefined ? { roles: body.roles } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        },
        c.get('principal').user.id,
      );
      return c.json(userJson(user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/users/{user_id}',
      tags: ['users'],
      summary: 'Delete a user with their tokens and sessions (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: UserIdParam },
      responses: {
        204: { description: 'Deleted' },
        ...COMMON_ERRORS,
        404: errorContent('No such user'),
        409: CONFLICT,
      },
    }),
    async (c) => {
      await services.users.remove(c.req.valid('param').user_id, c.get('principal').user.id);
      return c.body(null, 204);
    },
  );
}
