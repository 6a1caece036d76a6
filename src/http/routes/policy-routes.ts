import { createRoute, z } from '@hono/zod-openapi';
import { BrokerError } from '../../lib/errors.ts';
import { draftPolicy } from '../../policy/draft.ts';
import { type AccessLevel, POLICY_KINDS } from '../../policy/types.ts';
import { analyzePolicy, type RiskExtensions } from '../../requests/policy-review.ts';
import { ACCESS_TYPES } from '../../requests/request.ts';
import type { ApiApp } from '../context.ts';
import { COMMON_ERRORS, errorContent, jsonBody, jsonContent } from '../schemas.ts';
import {
  FindingSchema,
  PolicyDocumentSchema,
  PolicySourceFields,
  RiskReviewSchema,
} from './policy-schemas.ts';

/** What the policy routes need: the admin's risk extensions from config (the same as for submissions). */
export interface PolicyRouteDeps {
  readonly risk: RiskExtensions;
}

const AnalyzeBody = z
  .object({
    policy: PolicyDocumentSchema,
    kind: z.enum(POLICY_KINDS).optional().openapi({ description: 'Inferred when omitted (e.g. trust)' }),
    environment: z.string().max(32).optional().openapi({ example: 'prod' }),
    duration_hours: z.number().positive().max(8760).optional(),
    access_type: z.enum(ACCESS_TYPES).optional(),
  })
  .strict()
  .openapi('AnalyzeRequest');
const AnalyzeResult = z
  .object({ kind: z.enum(POLICY_KINDS), findings: z.array(FindingSchema), risk: RiskReviewSchema.nullable() })
  .openapi('AnalyzeResult');

const DraftBody = z
  .object({
    // The same fields, with the same limits, as a request drafted from actions or access levels.
    actions: PolicySourceFields.actions,
    resources: PolicySourceFields.resources,
    service: PolicySourceFields.service,
    access_levels: PolicySourceFields.access_levels,
    access_type: PolicySourceFields.access_type,
    include_dependent_actions: z.boolean().optional(),
  })
  .strict()
  .openapi('DraftRequest');
const DraftResult = z
  .object({ policy: z.record(z.string(), z.unknown()), notes: z.array(z.string()) })
  .openapi('DraftResult');

/**
 * `POST /api/v1/analyze` (validation findings and risk review of a bare policy of any kind, including trust
 * policies) and `POST /api/v1/draft` (least-privilege policy from actions or a service's access levels; 422
 * `PolicyInvalid` with findings when it cannot be drafted). Any signed-in user; no side effects.
 */
export function registerPolicyRoutes(app: ApiApp, { risk }: PolicyRouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/analyze',
      tags: ['policy'],
      summary: 'Validate and score a policy',
      request: { body: jsonBody(AnalyzeBody) },
      responses: {
        200: jsonContent(
          AnalyzeResult,
          'Findings and risk review (risk is null when the policy does not parse)',
        ),
        ...COMMON_ERRORS,
        413: errorContent('Policy over 64 KiB (PolicyTooLarge) or body over 1 MiB'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = analyzePolicy(body.policy, {
        ...(body.kind !== undefined ? { kind: body.kind } : {}),
        context: {
          ...(body.environment !== undefined ? { environment: body.environment } : {}),
          ...(body.duration_hours !== undefined ? { durationHours: body.duration_hours } : {}),
          ...(body.access_type !== undefined ? { accessType: body.access_type } : {}),
        },
        extensions: risk,
      });
      return c.json({ kind: result.kind, findings: [...result.findings], risk: result.risk }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/draft',
      tags: ['policy'],
      summary: 'Draft a least-privilege policy',
      request: { body: jsonBody(DraftBody) },
      responses: {
        200: jsonContent(DraftResult, 'The drafted policy and what to check'),
        ...COMMON_ERRORS,
        422: errorContent('PolicyInvalid: the input cannot be drafted (details.findings)'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const levels = b.access_levels?.map((l) => l as AccessLevel);
      const drafted = draftPolicy({
        ...(b.actions !== undefined ? { actions: b.actions } : {}),
        ...(b.resources !== undefined ? { resources: b.resources } : {}),
        ...(b.service !== undefined ? { service: b.service } : {}),
        ...(levels !== undefined ? { accessLevels: levels } : {}),
        ...(b.access_type !== undefined ? { accessType: b.access_type } : {}),
        ...(b.include_dependent_actions !== undefined
          ? { includeDependentActions: b.include_dependent_actions }
          : {}),
      });
      if (!drafted.ok)
        throw new BrokerError('PolicyInvalid', 'the input cannot be drafted', {
          details: { findings: drafted.error },
        });
      return c.json({ policy: { ...drafted.value.policy }, notes: drafted.value.notes }, 200);
    },
  );
}
