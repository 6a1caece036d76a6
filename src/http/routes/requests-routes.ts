import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { BrokerError } from '../../lib/errors.ts';
import type { PolicySpec } from '../../requests/policy-review.ts';
import { ACCESS_TYPES, type AccessRequest, type RequestDetail } from '../../requests/request.ts';
import type { EditInput, SubmitInput } from '../../requests/request-input.ts';
import type { RequestService } from '../../requests/request-service.ts';
import { REQUEST_STATUSES } from '../../requests/request-state.ts';
import { isRoleRequestDocument, parseRoleRequest } from '../../requests/role-request.ts';
import type { ApiApp, ApiEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { COMMON_ERRORS, errorContent } from '../schemas.ts';
import { FindingSchema, PolicyDocumentSchema, RiskReviewSchema } from './policy-routes.ts';

/** What the request routes need from the service layer. */
export interface RequestRouteDeps {
  readonly services: { readonly requests: RequestService };
}

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

const PolicyFields = {
  policy: PolicyDocumentSchema.optional(),
  actions: z
    .array(z.string())
    .max(1000)
    .optional()
    .openapi({ example: ['s3:GetObject'] }),
  resources: z
    .array(z.string())
    .max(1000)
    .optional()
    .openapi({ example: ['arn:aws:s3:::orders/*'] }),
  service: z.string().optional().openapi({ example: 's3' }),
  access_levels: z
    .array(z.string())
    .optional()
    .openapi({ example: ['List', 'Read'] }),
  access_type: z.enum(ACCESS_TYPES).optional(),
  justification: z.string().optional(),
  duration_hours: z.number().optional().openapi({ example: 2 }),
  start_at: z.string().nullable().optional().openapi({ format: 'date-time' }),
};

const SubmitBody = z
  .object({
    account_ids: z
      .array(z.string())
      .optional()
      .openapi({ example: ['111122223333'] }),
    ...PolicyFields,
    callback_url: z.string().nullable().optional(),
    ticket: z.string().nullable().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    apiVersion: z.string().optional().openapi({ description: 'RoleRequest documents: iam-jit.dev/v1alpha1' }),
    kind: z.string().optional().openapi({ description: 'RoleRequest documents: RoleRequest' }),
    metadata: z.record(z.string(), z.unknown()).optional(),
    spec: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        'RoleRequest: { accounts, duration, policy | task_intent, access_type, description, resource_constraints, ticket, tags }',
    }),
  })
  .strict()
  .openapi('SubmitRequest', {
    description:
      'Exactly one of policy, actions (+resources) or service + access_levels; or a RoleRequest document (apiVersion, kind, spec), also as YAML.',
  });
const EditBody = z
  .object({ ...PolicyFields, comment: z.string().optional() })
  .strict()
  .openapi('EditRequest');

const RequestSchema = z
  .object({
    id: z.string(),
    requester_id: z.string(),
    status: z.enum(REQUEST_STATUSES),
    version: z.number().int(),
    account_ids: z.array(z.string()),
    current_revision: z.number().int(),
    access_type: z.enum(ACCESS_TYPES),
    justification: z.string(),
    duration_hours: z.number(),
    start_at: z.string().nullable(),
    callback_url: z.string().nullable(),
    ticket: z.string().nullable(),
    tags: z.record(z.string(), z.string()),
    approval_deadline: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Request');
const RevisionRiskSchema = RiskReviewSchema.extend({ account_id: z.string(), environment: z.string() });
const ReviewSchema = z
  .object({
    id: z.string(),
    revision: z.number().int(),
    reviewer_id: z.string(),
    decision: z.enum(['approve', 'reject', 'request_changes']),
    comment: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Review');
const CommentSchema = z
  .object({ id: z.string(), author_id: z.string(), body: z.string(), created_at: z.string() })
  .openapi('Comment');
const DetailSchema = z
  .object({
    request: RequestSchema,
    revisions: z.array(
      z.object({
        number: z.number().int(),
        author_id: z.string(),
        policy: z.unknown(),
        source: z.record(z.string(), z.unknown()),
        draft_notes: z.array(z.string()),
        findings: z.array(FindingSchema),
        risk: RevisionRiskSchema,
        created_at: z.string(),
      }),
    ),
    reviews: z.array(ReviewSchema),
    approvals: z.array(ReviewSchema),
    comments: z.array(CommentSchema),
    events: z.array(
      z.object({
        seq: z.number().int(),
        type: z.string(),
        actor_id: z.string(),
        from_status: z.string().nullable(),
        to_status: z.string(),
        data: z.record(z.string(), z.unknown()),
        created_at: z.string(),
      }),
    ),
    grants: z
      .array(z.unknown())
      .openapi({ description: 'Grants arrive with the grants issue; empty for now' }),
  })
  .openapi('RequestDetail');
const PageSchema = z
  .object({ requests: z.array(RequestSchema), next_cursor: z.string().nullable() })
  .openapi('RequestPage');
const PreviewSchema = z
  .object({
    account_ids: z.array(z.string()),
    access_type: z.enum(ACCESS_TYPES),
    duration_hours: z.number(),
    policy: z.unknown(),
    draft_notes: z.array(z.string()),
    findings: z.array(FindingSchema),
    valid: z.boolean(),
    risk: RevisionRiskSchema.nullable(),
    would_auto_approve: z.boolean(),
  })
  .openapi('RequestPreview');

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function requestJson(r: AccessRequest): z.infer<typeof RequestSchema> {
  return {
    id: r.id,
    requester_id: r.requesterId,
    status: r.status,
    version: r.version,
    account_ids: [...r.accountIds],
    current_revision: r.currentRevision,
    access_type: r.accessType,
    justification: r.justification,
    duration_hours: r.durationHours,
    start_at: iso(r.startAt),
    callback_url: r.callbackUrl,
    ticket: r.ticket,
    tags: { ...r.tags },
    approval_deadline: iso(r.approvalDeadline),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

function detailJson(d: RequestDetail): z.infer<typeof DetailSchema> {
  const review = (r: RequestDetail['reviews'][number]) => ({
    id: r.id,
    revision: r.revision,
    reviewer_id: r.reviewerId,
    decision: r.decision,
    comment: r.comment,
    created_at: r.createdAt.toISOString(),
  });
  return {
    request: requestJson(d.request),
    revisions: d.revisions.map((v) => {
      const { accountId, ...risk } = v.risk;
      return {
        number: v.number,
        author_id: v.authorId,
        policy: v.policy,
        source: { ...v.source },
        draft_notes: [...v.draftNotes],
        findings: [...v.findings],
        risk: { ...risk, account_id: accountId },
        created_at: v.createdAt.toISOString(),
      };
    }),
    reviews: d.reviews.map(review),
    approvals: d.approvals.map(review),
    comments: d.comments.map((c) => ({
      id: c.id,
      author_id: c.authorId,
      body: c.body,
      created_at: c.createdAt.toISOString(),
    })),
    events: d.events.map((e) => ({
      seq: e.seq,
      type: e.type,
      actor_id: e.actorId,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      data: { ...e.data },
      created_at: e.createdAt.toISOString(),
    })),
    grants: [],
  };
}

type PolicyBody = Partial<Record<keyof typeof PolicyFields, unknown>>;

/** Exactly one policy form, or undefined when none is given and `optional`. */
function specOf(b: PolicyBody, { optional }: { optional: boolean }): PolicySpec | undefined {
  const forms = [
    b.policy !== undefined,
    b.actions !== undefined,
    b.service !== undefined || b.access_levels !== undefined,
  ];
  const n = forms.filter(Boolean).length;
  if (n === 0 && optional) return undefined;
  if (n !== 1)
    throw new BrokerError(
      'InvalidInput',
      'policy: give exactly one of policy, actions, or service with access_levels',
      {
        details: { field: 'policy' },
      },
    );
  if (b.resources !== undefined && b.actions === undefined)
    throw new BrokerError('InvalidInput', 'resources: only applies with actions', {
      details: { field: 'resources' },
    });
  if (b.policy !== undefined) return { type: 'policy', policy: b.policy };
  if (b.actions !== undefined)
    return {
      type: 'actions',
      actions: b.actions as string[],
      resources: b.resources as string[] | undefined,
    };
  return {
    type: 'access_levels',
    service: String(b.service ?? ''),
    accessLevels: (b.access_levels as string[]) ?? [],
  };
}

type SubmitJson = z.infer<typeof SubmitBody>;

async function submitInputOf(c: Context<ApiEnv>, body: SubmitJson): Promise<SubmitInput> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if ((YAML_TYPES as readonly string[]).includes(type)) return parseRoleRequest(await c.req.text());
  if (isRoleRequestDocument(body) || body.spec !== undefined) return parseRoleRequest(body);
  return {
    accountIds: body.account_ids ?? [],
    spec: specOf(body, { optional: false }) as PolicySpec,
    accessType: body.access_type,
    justification: body.justification,
    durationHours: body.duration_hours,
    startAt: body.start_at,
    callbackUrl: body.callback_url,
    ticket: body.ticket,
    tags: body.tags,
  };
}

function editInputOf(b: z.infer<typeof EditBody>): EditInput {
  return {
    spec: specOf(b, { optional: true }),
    accessType: b.access_type,
    justification: b.justification,
    durationHours: b.duration_hours,
    startAt: b.start_at,
    comment: b.comment,
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
      const id = await requests.submit(actorOf(c), await submitInputOf(c, c.req.valid('json')));
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

  const pageQuery = {
    cursor: z
      .string()
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' } }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .openapi({ param: { name: 'limit', in: 'query' } }),
  };
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
