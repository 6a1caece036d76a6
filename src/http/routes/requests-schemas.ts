// Request and response schemas of the /api/v1/requests routes (they also generate the OpenAPI document), and the
// mapping between their snake_case JSON and the requests domain.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { BrokerError } from '../../lib/errors.ts';
import type { PolicySpec } from '../../requests/policy-review.ts';
import { ACCESS_TYPES, type AccessRequest, type RequestDetail } from '../../requests/request.ts';
import type { EditInput, SubmitInput } from '../../requests/request-input.ts';
import { REQUEST_STATUSES } from '../../requests/request-state.ts';
import { isRoleRequestDocument, parseRoleRequest } from '../../requests/role-request.ts';
import type { ApiEnv } from '../context.ts';
import { FindingSchema, PolicySourceFields, RiskReviewSchema } from './policy-schemas.ts';

/** The fields of a submission or edit besides its accounts: the policy (or what to draft it from) and the terms. */
const PolicyFields = {
  ...PolicySourceFields,
  justification: z.string().optional(),
  duration_hours: z.number().optional().openapi({ example: 2 }),
  start_at: z.string().nullable().optional().openapi({ format: 'date-time' }),
};

/** Content types a RoleRequest document may be posted as (YAML). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;

export const SubmitBody = z
  .object({
    account_ids: z
      .array(z.string())
      .optional()
      .openapi({ example: ['111122223333'] }),
    ...PolicyFields,
    callback_url: z.string().nullable().optional(),
    ticket: z.string().nullable().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    regions: z
      .array(z.string())
      .nullable()
      .optional()
      .openapi({
        example: ['eu-west-1'],
        description:
          'Limit the grants to these AWS regions (aws:RequestedRegion on every statement; global-service actions such as iam:* are exempt). Default: any region',
      }),
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
export const EditBody = z
  .object({ ...PolicyFields, comment: z.string().optional() })
  .strict()
  .openapi('EditRequest');

export const RequestSchema = z
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
    regions: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'Regions the grants are limited to (aws:RequestedRegion); null = any' }),
    extends_grant_id: z
      .string()
      .nullable()
      .openapi({ description: 'Set on an extension request: the grant whose end moves by duration_hours' }),
  })
  .openapi('Request');
export const RevisionRiskSchema = RiskReviewSchema.extend({
  account_id: z.string(),
  environment: z.string(),
});
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
export const CommentSchema = z
  .object({ id: z.string(), author_id: z.string(), body: z.string(), created_at: z.string() })
  .openapi('Comment');
export const DetailSchema = z
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
export const PageSchema = z
  .object({ requests: z.array(RequestSchema), next_cursor: z.string().nullable() })
  .openapi('RequestPage');
export const PreviewSchema = z
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

/** The API form of a request. */
export function requestJson(r: AccessRequest): z.infer<typeof RequestSchema> {
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
    regions: r.regions == null ? null : [...r.regions],
    extends_grant_id: r.extendsGrantId ?? null,
  };
}

/** The API form of a request with its history (grants arrive with the grants issue). */
export function detailJson(d: RequestDetail): z.infer<typeof DetailSchema> {
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

/**
 * The submission in a body: YAML (a RoleRequest), a JSON RoleRequest (has `apiVersion`, `kind` or `spec`), or the
 * flat JSON form. Throws BrokerError `InvalidInput` naming the field.
 */
export async function submitInputOf(c: Context<ApiEnv>, body: SubmitJson): Promise<SubmitInput> {
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
    regions: body.regions,
  };
}

/** The changes in an edit or resubmit body. */
export function editInputOf(b: z.infer<typeof EditBody>): EditInput {
  return {
    spec: specOf(b, { optional: true }),
    accessType: b.access_type,
    justification: b.justification,
    durationHours: b.duration_hours,
    startAt: b.start_at,
    comment: b.comment,
  };
}
