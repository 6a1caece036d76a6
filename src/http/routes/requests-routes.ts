import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AccessRequest } from '../../requests/request.ts';
import type { RequestService } from '../../requests/request-service.ts';
import { REQUEST_STATUSES } from '../../requests/request-state.ts';
import type { ApiApp, ApiEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, cursorParam, errorContent, limitParam } from '../schemas.ts';
import {
  CommentSchema,
  DetailSchema,
  detailJson,
  EditBody,
  editInputOf,
  PageSchema,
  PreviewSchema,
  requestJson,
  SubmitBody,
  submitInputOf,
  YAML_TYPES,
} from './requests-schemas.ts';

/** What the request routes need from the service layer. */
export interface RequestRouteDeps {
  readonly services: {
    readonly requests: RequestService;
  };
}

const actorOf = (c: Context<ApiEnv>) => {
  const { user } = c.get('principal');
  return { id: user.id, roles: user.roles };
};

const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'req_0123456789abcdefghjkmnpqrs' }),
});
const submitBody = {
  required: false,
  content: {
    'application/json': { schema: SubmitBody },
    ...Object.fromEntries(
      YAML_TYPES.map((t) => [t, { schema: z.string().openapi({ description: 'RoleRequest YAML' }) }]),
    ),
  },
};
const optionalJson = <T extends z.ZodType>(schema: T) => ({
  required: false,
  content: { 'application/json': { schema } },
});
const detail = (description: string) => ({
  description,
  content: { 'application/json': { schema: DetailSchema } },
});
const NOT_FOUND = errorContent('No such request, or not yours to see (never 403: existence does not leak)');
const TRANSITION_ERRORS = {
  ...COMMON_ERRORS,
  404: NOT_FOUND,
  409: errorContent(
    'IllegalTransition (details.status is the current status), ConcurrentUpdate, AlreadyReviewed',
  ),
} as const;
const SUBMIT_ERRORS = {
  ...COMMON_ERRORS,
  413: errorContent('PolicyTooLarge: policy over 64 KiB, or body over 1 MiB'),
  422: errorContent('PolicyInvalid (details.findings), UnknownAccount, DurationExceedsMax'),
  429: errorContent('TooManyOpenRequests (Retry-After)'),
} as const;

/** Registers every `/api/v1/requests` route (see docs/requests.md). Literal paths come before `/{id}`. */
export function registerRequestRoutes(app: ApiApp, { services }: RequestRouteDeps): void {
  const { requests } = services;
  const load = async (c: Context<ApiEnv>, id: string) => detailJson(await requests.get(actorOf(c), id));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/requests',
      tags: ['requests'],
      summary: 'Submit an access request (JSON, or a RoleRequest document as JSON or YAML)',
      middleware: [requireRole('requester')] as const,
      request: { body: submitBody },
      responses: { 201: detail('Submitted: the request with revision 1'), ...SUBMIT_ERRORS },
    }),
    async (c) => {
      const input = await submitInputOf(c, c.req.valid('json'));
      const id = await requests.submit(actorOf(c), input);
      return c.json(await load(c, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/requests/preview',
      tags: ['requests'],
      summary: 'What a submission would produce: findings, risk review, drafted policy (no side effects)',
      request: { body: submitBody },
      responses: {
        200: { description: 'Preview', content: { 'application/json': { schema: PreviewSchema } } },
        ...SUBMIT_ERRORS,
      },
    }),
    async (c) => {
      const p = await requests.preview(actorOf(c), await submitInputOf(c, c.req.valid('json')));
      return c.json(
        {
          account_ids: [...p.accountIds],
          access_type: p.accessType,
          duration_hours: p.durationHours,
          policy: p.policy,
          draft_notes: [...p.draftNotes],
          findings: [...p.findings],
          valid: p.valid,
          risk: p.risk === null ? null : { ...p.risk, account_id: p.risk.accountId },
          would_auto_approve: p.wouldAutoApprove,
        },
        200,
      );
    },
  );

  const pageQuery = { cursor: cursorParam('cursor'), limit: limitParam(100) };
  const pageJson = (p: { items: readonly AccessRequest[]; nextCursor: string | null }) => ({
    requests: p.items.map(requestJson),
    next_cursor: p.nextCursor,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/requests/pending',
      tags: ['requests'],
      summary: 'Pending requests waiting on my approval',
      middleware: [requireRole('approver')] as const,
      request: { query: z.object(pageQuery) },
      responses: {
        200: { description: 'Newest first', content: { 'application/json': { schema: PageSchema } } },
        ...COMMON_ERRORS,
      },
    }),
    async (c) => c.json(pageJson(await requests.pending(actorOf(c), c.req.valid('query'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/requests',
      tags: ['requests'],
      summary: 'List requests (mine by default)',
      request: {
        query: z.object({
          ...pageQuery,
          status: z
            .enum(REQUEST_STATUSES)
            .optional()
            .openapi({ param: { name: 'status', in: 'query' } }),
          account_id: z
            .string()
            .optional()
            .openapi({ param: { name: 'account_id', in: 'query' } }),
          mine: z
            .enum(['true', 'false'])
            .optional()
            .openapi({ param: { name: 'mine', in: 'query' } }),
        }),
      },
      responses: {
        200: { description: 'Newest first', content: { 'application/json': { schema: PageSchema } } },
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await requests.list(actorOf(c), {
        mine: q.mine !== 'false',
        status: q.status,
        accountId: q.account_id,
        cursor: q.cursor,
        limit: q.limit,
      });
      return c.json(pageJson(page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/requests/{id}',
      tags: ['requests'],
      summary: 'A request with revisions, reviews, approvals, comments and events',
      request: { params: IdParam },
      responses: { 200: detail('The request'), ...COMMON_ERRORS, 404: NOT_FOUND },
    }),
    async (c) => c.json(await load(c, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/requests/{id}',
      tags: ['requests'],
      summary: 'Edit a pending request: a new revision; approvals start over (requester or its approvers)',
      request: { params: IdParam, body: optionalJson(EditBody) },
      responses: { 200: detail('Edited'), ...TRANSITION_ERRORS, 422: SUBMIT_ERRORS[422] },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await requests.edit(actorOf(c), id, editInputOf(c.req.valid('json')));
      return c.json(await load(c, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/requests/{id}/resubmit',
      tags: ['requests'],
      summary: 'Answer a change request with a new revision (requester)',
      request: { params: IdParam, body: optionalJson(EditBody) },
      responses: { 200: detail('Pending again'), ...TRANSITION_ERRORS, 422: SUBMIT_ERRORS[422] },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await requests.resubmit(actorOf(c), id, editInputOf(c.req.valid('json')));
      return c.json(await load(c, id), 200);
    },
  );

  const decisions = [
    [
      'approve',
      'Approve the current revision (approvers of its accounts, admins; never the requester)',
      'comment',
      false,
    ],
    ['reject', 'Reject with a reason', 'reason', true],
    ['request-changes', 'Send back to the requester with a comment', 'comment', true],
  ] as const;
  for (const [path, summary, field, required] of decisions) {
    const Body = z.object({ [field]: required ? z.string() : z.string().optional() }).strict();
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/requests/{id}/${path}`,
        tags: ['requests'],
        summary,
        middleware: [requireRole('approver')] as const,
        request: {
          params: IdParam,
          body: required
            ? { required: true, content: { 'application/json': { schema: Body } } }
            : optionalJson(Body),
        },
        responses: { 200: detail('The request after the decision'), ...TRANSITION_ERRORS },
      }),
      async (c) => {
        const id = c.req.valid('param').id;
        const text = (c.req.valid('json') as Record<string, string | undefined>)[field];
        const actor = actorOf(c);
        if (path === 'approve') await requests.approve(actor, id, { comment: text });
        else if (path === 'reject') await requests.reject(actor, id, { reason: text });
        else await requests.requestChanges(actor, id, { comment: text });
        return c.json(await load(c, id), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/requests/{id}/cancel',
      tags: ['requests'],
      summary: 'Withdraw a pending or changes-requested request (requester)',
      request: { params: IdParam, body: optionalJson(z.object({ reason: z.string().optional() }).strict()) },
      responses: { 200: detail('Cancelled'), ...TRANSITION_ERRORS },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await requests.cancel(actorOf(c), id, { reason: c.req.valid('json').reason });
      return c.json(await load(c, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/requests/{id}/comments',
      tags: ['requests'],
      summary: 'Comment on a request (anyone who can see it; any state)',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ body: z.string() }).strict() } },
        },
      },
      responses: {
        201: { description: 'The comment', content: { 'application/json': { schema: CommentSchema } } },
        ...COMMON_ERRORS,
        404: NOT_FOUND,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const actor = actorOf(c);
      const commentId = await requests.comment(actor, id, { body: c.req.valid('json').body });
      const comment = (await requests.get(actor, id)).comments.find((x) => x.id === commentId);
      if (comment === undefined) throw new Error(`comment ${commentId} vanished`);
      return c.json(
        {
          id: comment.id,
          author_id: comment.authorId,
          body: comment.body,
          created_at: comment.createdAt.toISOString(),
        },
        201,
      );
    },
  );
}
