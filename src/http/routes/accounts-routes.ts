import { createRoute, z } from '@hono/zod-openapi';
import type { Account } from '../../accounts/account.ts';
import { PROVISIONING_MODES } from '../../accounts/account.ts';
import type { AccountService } from '../../accounts/account-service.ts';
import { BrokerError } from '../../lib/errors.ts';
import type { ApiApp } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, cursorParam, errorContent, jsonBody, jsonContent, limitParam } from '../schemas.ts';

/** What the account routes need from the service layer. */
export interface AccountRouteDeps {
  readonly services: { readonly accounts: AccountService };
}

const AccountIdParam = z.object({
  account_id: z.string().openapi({ param: { name: 'account_id', in: 'path' }, example: '111122223333' }),
});

const AccountFields = {
  name: z.string().openapi({ example: 'Production' }),
  environment: z.string().openapi({ example: 'prod', description: 'prod, nonprod, staging, …' }),
  provisioning_mode: z.enum(PROVISIONING_MODES).optional().openapi({ description: 'Default iam_role' }),
  spoke_role_arn: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  approvers: z
    .array(z.string())
    .optional()
    .openapi({ example: ['email:bob@example.com'] }),
  required_approvals: z.number().int().optional().openapi({ description: 'Quorum, default 1' }),
  max_duration_hours: z.number().nullable().optional(),
  allowed_services: z
    .array(z.string())
    .nullable()
    .optional()
    .openapi({ example: ['s3', 'ec2'] }),
  permission_set_arn: z.string().nullable().optional().openapi({
    description:
      'identity_center only: an existing permission set every grant in the account is assigned (shared, lease-counted); null = a per-grant permission set',
    example: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef',
  }),
};

const CreateAccountBody = z
  .object({ id: z.string().openapi({ example: '111122223333' }), ...AccountFields })
  .strict()
  .openapi('CreateAccount');
const PatchAccountBody = z
  .object({
    ...AccountFields,
    name: AccountFields.name.optional(),
    environment: AccountFields.environment.optional(),
  })
  .strict()
  .openapi('UpdateAccount');

/** An account as the API shows it (snake_case). `external_id` is shown to admins only. */
export const AccountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    environment: z.string(),
    provisioning_mode: z.enum(PROVISIONING_MODES),
    spoke_role_arn: z.string().nullable(),
    external_id: z.string().nullable().optional(),
    approvers: z.array(z.string()),
    required_approvals: z.number().int(),
    max_duration_hours: z.number().nullable(),
    allowed_services: z.array(z.string()).nullable(),
    permission_set_arn: z.string().nullable(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Account');
const AccountList = z
  .object({ accounts: z.array(AccountSchema), next_cursor: z.string().nullable() })
  .openapi('AccountList');

/** The API form of an account. */
export function accountJson(a: Account, { admin }: { admin: boolean }): z.infer<typeof AccountSchema> {
  return {
    id: a.id,
    name: a.name,
    environment: a.environment,
    provisioning_mode: a.provisioningMode,
    spoke_role_arn: a.spokeRoleArn,
    ...(admin ? { external_id: a.externalId } : {}),
    approvers: [...a.approvers],
    required_approvals: a.requiredApprovals,
    max_duration_hours: a.maxDurationHours,
    allowed_services: a.allowedServices === null ? null : [...a.allowedServices],
    permission_set_arn: a.permissionSetArn,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

type Fields = Partial<z.infer<typeof CreateAccountBody>>;
function toPatch(b: Fields) {
  const out: Record<string, unknown> = {};
  const map: [keyof Fields, string][] = [
    ['name', 'name'],
    ['environment', 'environment'],
    ['provisioning_mode', 'provisioningMode'],
    ['spoke_role_arn', 'spokeRoleArn'],
    ['external_id', 'externalId'],
    ['approvers', 'approvers'],
    ['required_approvals', 'requiredApprovals'],
    ['max_duration_hours', 'maxDurationHours'],
    ['allowed_services', 'allowedServices'],
    ['permission_set_arn', 'permissionSetArn'],
  ];
  for (const [from, to] of map) if (b[from] !== undefined) out[to] = b[from];
  return out;
}

const isAdmin = (roles: readonly string[]) => roles.includes('admin');

/**
 * `POST/GET /api/v1/accounts`, `GET/PATCH/DELETE /api/v1/accounts/{account_id}`. Writes are admin-only; any
 * signed-in user may list accounts (to choose one), without their external ids.
 */
export function registerAccountRoutes(app: ApiApp, { services }: AccountRouteDeps): void {
  const { accounts } = services;
  const notFound = errorContent('No such account');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/accounts',
      tags: ['accounts'],
      summary: 'Register a destination account (admin)',
      middleware: [requireRole('admin')] as const,
      request: { body: jsonBody(CreateAccountBody) },
      responses: {
        201: jsonContent(AccountSchema, 'Created'),
        ...COMMON_ERRORS,
        409: errorContent('AccountExists'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const account = await accounts.create(
        { id: body.id, name: body.name, environment: body.environment, ...toPatch(body) },
        c.get('principal').user.id,
      );
      return c.json(accountJson(account, { admin: true }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts',
      tags: ['accounts'],
      summary: 'List accounts',
      request: {
        query: z.object({ limit: limitParam(500), after: cursorParam('after') }),
      },
      responses: { 200: jsonContent(AccountList, 'Accounts ordered by id'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { limit = 100, after } = c.req.valid('query');
      const admin = isAdmin(c.get('principal').user.roles);
      const page = await accounts.list({ limit: limit + 1, ...(after !== undefined ? { after } : {}) });
      const shown = page.slice(0, limit);
      const next = page.length > limit ? (shown.at(-1)?.id ?? null) : null;
      return c.json({ accounts: shown.map((a) => accountJson(a, { admin })), next_cursor: next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/accounts/{account_id}',
      tags: ['accounts'],
      summary: 'Get an account',
      request: { params: AccountIdParam },
      responses: { 200: jsonContent(AccountSchema, 'The account'), ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => {
      const id = c.req.valid('param').account_id;
      const account = await accounts.get(id);
      if (account === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
      return c.json(accountJson(account, { admin: isAdmin(c.get('principal').user.roles) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/accounts/{account_id}',
      tags: ['accounts'],
      summary: 'Change an account (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: AccountIdParam, body: jsonBody(PatchAccountBody) },
      responses: { 200: jsonContent(AccountSchema, 'Updated'), ...COMMON_ERRORS, 404: notFound },
    }),
    async (c) => {
      const account = await accounts.update(
        c.req.valid('param').account_id,
        toPatch(c.req.valid('json')),
        c.get('principal').user.id,
      );
      return c.json(accountJson(account, { admin: true }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/accounts/{account_id}',
      tags: ['accounts'],
      summary: 'Delete an account no request refers to (admin)',
      middleware: [requireRole('admin')] as const,
      request: { params: AccountIdParam },
      responses: {
        204: { description: 'Deleted' },
        ...COMMON_ERRORS,
        404: notFound,
        409: errorContent('AccountInUse: requests refer to the account'),
      },
    }),
    async (c) => {
      await accounts.remove(c.req.valid('param').account_id, c.get('principal').user.id);
      return c.body(null, 204);
    },
  );
}
