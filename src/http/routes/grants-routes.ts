import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GRANT_STATES } from '../../grants/grant.ts';
import type { GrantService } from '../../grants/grant-service.ts';
import type { ReconcileFinding } from '../../grants/reconcile.ts';
import type { ApiApp, ApiEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, cursorParam, errorContent, jsonBody, jsonContent, limitParam } from '../schemas.ts';
import {
  CredentialsSchema,
  ExtendBody,
  ExtensionRequestedSchema,
  GrantSchema,
  grantJson,
  PlanSchema,
  planJson,
  ReconcileBody,
  ReconcileResultSchema,
  RevokeBody,
} from './grants-schemas.ts';

/** What the grant routes need: the grant service, when provisioning is wired (app.ts). */
export interface GrantRouteDeps {
  readonly services: object;
}

const actorOf = (c: Context<ApiEnv>) => {
  const { user } = c.get('principal');
  return { id: user.id, roles: user.roles };
};

const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'grt_0123456789abcdefghjkmnpqrs' }),
});
const NOT_FOUND = errorContent('No such grant, or not visible to you');

/** The grant service of `services`, when the composition root provided one. */
function grantServiceOf(services: object): GrantService | undefined {
  return 'grants' in services ? (services.grants as GrantService | undefined) : undefined;
}

/**
 * `/api/v1/grants` routes: list, get, credentials (requester only, `credential_process` JSON), revoke. Registers
 * nothing when the services carry no grant service (provisioning not configured).
 */
export function registerGrantRoutes(app: ApiApp, { services }: GrantRouteDeps): void {
  registerReconcileRoute(app, services);
  const grants = grantServiceOf(services);
  if (grants === undefined) return;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/grants',
      tags: ['grants'],
      summary: 'Grants you may see (yours; your accounts as approver; all for admins), newest first',
      request: {
        query: z.object({
          status: z.enum(GRANT_STATES).optional(),
          request_id: z.string().optional(),
          account_id: z.string().optional(),
          cursor: cursorParam('cursor'),
          limit: limitParam(500),
        }),
      },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(GrantSchema), next_cursor: z.string().nullable() }),
          'Grants',
        ),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await grants.list(actorOf(c), {
        status: q.status,
        requestId: q.request_id,
        accountId: q.account_id,
        cursor: q.cursor,
        limit: q.limit,
      });
      return c.json({ items: page.items.map(grantJson), next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/grants/{id}',
      tags: ['grants'],
      summary: 'One grant',
      request: { params: IdParam },
      responses: { 200: jsonContent(GrantSchema, 'The grant'), ...COMMON_ERRORS, 404: NOT_FOUND },
    }),
    async (c) => c.json(grantJson(await grants.get(actorOf(c), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/grants/{id}/credentials',
      tags: ['grants'],
      summary:
        "Temporary credentials for the grant's role (requester only): min(remaining, 1 h), credential_process JSON v1",
      request: { params: IdParam },
      responses: {
        200: jsonContent(CredentialsSchema, 'credential_process JSON'),
        ...COMMON_ERRORS,
        404: NOT_FOUND,
        409: errorContent('Not active (IllegalTransition), or under 900 s remain (GrantEndingSoon)'),
      },
    }),
    async (c) => {
      const creds = await grants.credentials(actorOf(c), c.req.valid('param').id);
      c.header('Cache-Control', 'no-store');
      return c.json(creds, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/grants/{id}/console-url',
      tags: ['grants'],
      summary:
        "An AWS console sign-in URL for the grant's role (requester only; the link is valid 15 minutes)",
      request: { params: IdParam },
      responses: {
        200: jsonContent(
          z.object({ url: z.string(), expiration: z.string().openapi({ format: 'date-time' }) }),
          'Sign-in URL',
        ),
        ...COMMON_ERRORS,
        404: NOT_FOUND,
        409: errorContent('Not active (IllegalTransition), or under 900 s remain (GrantEndingSoon)'),
      },
    }),
    async (c) => {
      const r = await grants.consoleUrl(actorOf(c), c.req.valid('param').id);
      c.header('Cache-Control', 'no-store');
      return c.json({ url: r.url, expiration: r.expiration.toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/requests/{id}/plan',
      tags: ['requests'],
      summary: 'The AWS calls approving this request would make, as AWS CLI commands (anyone who may see it)',
      request: { params: IdParam },
      responses: { 200: jsonContent(PlanSchema, 'The provisioning plan'), ...COMMON_ERRORS, 404: NOT_FOUND },
    }),
    async (c) => c.json(planJson(await grants.plan(actorOf(c), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/grants/{id}/extend',
      tags: ['grants'],
      summary:
        'Extend an active grant by `hours`: its requester gets an extension request (202) that approvers approve like any request; an approver of its account or an admin extends it directly (200)',
      request: { params: IdParam, body: jsonBody(ExtendBody) },
      responses: {
        200: jsonContent(
          GrantSchema,
          'Extended directly: the role is rewritten with the new not_after by a job',
        ),
        202: jsonContent(ExtensionRequestedSchema, 'Extension requested: approve extension_request_id'),
        ...COMMON_ERRORS,
        404: NOT_FOUND,
        409: errorContent('Not active'),
        422: errorContent('DurationExceedsMax'),
      },
    }),
    async (c) => {
      const r = await grants.extendOrRequest(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      if (r.requestId === null) return c.json(grantJson(r.grant), 200);
      return c.json(
        { grant: grantJson(r.grant), extension_request_id: r.requestId, status: 'pending' as const },
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/grants/{id}/revoke',
      tags: ['grants'],
      summary: "End a grant early with a reason (its requester, the account's approvers, admins)",
      request: { params: IdParam, body: jsonBody(RevokeBody) },
      responses: {
        202: jsonContent(GrantSchema, 'Revoking: AWS revocation runs as a job'),
        ...COMMON_ERRORS,
        404: NOT_FOUND,
        409: errorContent('Already ending or ended'),
      },
    }),
    async (c) => {
      const g = await grants.revoke(actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(grantJson(g), 202);
    },
  );
}

type Reconcile = (options: { actor: string; dryRun: boolean }) => Promise<ReconcileFinding[]>;

/** `POST /api/v1/reconcile` (admin): one reconciler pass now, when provisioning is wired. */
function registerReconcileRoute(app: ApiApp, services: object): void {
  const reconcile = 'reconcile' in services ? (services.reconcile as Reconcile | undefined) : undefined;
  if (reconcile === undefined) return;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/reconcile',
      tags: ['grants'],
      summary:
        'Run the reconciler now (admin): orphan roles and assignments removed, drift repaired/revoked/reported per config; dry_run only reports',
      middleware: [requireRole('admin')] as const,
      request: { body: jsonBody(ReconcileBody) },
      responses: {
        200: jsonContent(ReconcileResultSchema, 'What was found and done (also in the audit log)'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const dryRun = c.req.valid('json').dry_run ?? false;
      const findings = await reconcile({ actor: actorOf(c).id, dryRun });
      return c.json(
        {
          dry_run: dryRun,
          findings: findings.map((f) => ({
            account_id: f.accountId,
            kind: f.kind,
            role_name: f.roleName,
            grant_id: f.grantId,
            outcome: f.outcome,
          })),
        },
        200,
      );
    },
  );
}
