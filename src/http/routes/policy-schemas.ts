/**
 * Schemas of the policy engine's values as the API shows them, shared by the policy routes (analyze, draft) and the
 * request routes (submissions carry a policy or what to draft it from).
 */
import { z } from '@hono/zod-openapi';
import { ACCESS_TYPES } from '../../requests/request.ts';

/** A validation finding (policy engine). */
export const FindingSchema = z
  .object({
    code: z.string().openapi({ example: 'UNKNOWN_ACTION' }),
    severity: z.enum(['error', 'warning', 'suggestion']),
    message: z.string(),
    path: z.string().openapi({ description: 'JSON pointer into the policy (or the input, for drafts)' }),
    statementIndex: z.number().int().optional(),
  })
  .openapi('Finding');

/** A risk review: score 1–10, band, the factors that add up to it, suggestions and a summary. */
export const RiskReviewSchema = z
  .object({
    score: z.number().int().min(1).max(10),
    band: z.enum(['low', 'medium', 'high', 'critical']),
    factors: z.array(
      z.object({ id: z.string(), title: z.string(), points: z.number(), evidence: z.array(z.unknown()) }),
    ),
    suggestions: z.array(z.string()),
    summary: z.string(),
  })
  .openapi('RiskReview');

/** An IAM policy document (standard JSON) or its text. */
export const PolicyDocumentSchema = z
  .union([z.record(z.string(), z.unknown()), z.string()])
  .openapi('PolicyDocument', {
    example: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    },
  });

/** How a policy is given: as a document, or as actions (+resources) or service + access levels to draft from. */
export const PolicySourceFields = {
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
};
