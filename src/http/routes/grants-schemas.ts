import { z } from '@hono/zod-openapi';
import { GRANT_STATES, type Grant } from '../../grants/grant.ts';
import { grantUsage, type ProvisioningPlan } from '../../grants/plan.ts';

/** A grant as the API shows it (snake_case, ISO timestamps). */
export const GrantSchema = z
  .object({
    id: z.string().openapi({ example: 'grt_0123456789abcdefghjkmnpqrs' }),
    request_id: z.string(),
    account_id: z.string(),
    requester_id: z.string(),
    approver_ids: z.array(z.string()),
    revision: z.number().int(),
    mode: z.string(),
    status: z.enum(GRANT_STATES),
    not_before: z.string().openapi({ format: 'date-time' }),
    not_after: z.string().openapi({ format: 'date-time' }),
    role_name: z.string(),
    role_arn: z.string().nullable(),
    activated_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    end_reason: z.string().nullable(),
    revoked_by: z.string().nullable(),
    revoke_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    regions: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'Regions the grant is limited to (aws:RequestedRegion); null = any region' }),
    usage: z
      .array(z.string())
      .openapi({ description: 'How to use an active grant (CLI, profile block, console)' }),
  })
  .openapi('Grant');

/** `credential_process` JSON, version 1 (AWS CLI "Sourcing credentials with an external process"). */
export const CredentialsSchema = z
  .object({
    Version: z.literal(1),
    AccessKeyId: z.string(),
    SecretAccessKey: z.string(),
    SessionToken: z.string(),
    Expiration: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CredentialProcess');

export const RevokeBody = z
  .object({
    reason: z.string().optional().openapi({ example: 'finished the investigation', description: 'Required' }),
  })
  .strict()
  .openapi('RevokeGrant');

export const ExtendBody = z
  .object({
    hours: z.number().optional().openapi({ example: 1, description: 'Required; added to not_after' }),
    reason: z
      .string()
      .optional()
      .openapi({ example: 'the migration needs another hour', description: 'Required' }),
  })
  .strict()
  .openapi('ExtendGrant');

/** `POST /grants/{id}/extend` by the grant's requester: the extension request approvers now decide on. */
export const ExtensionRequestedSchema = z
  .object({
    grant: GrantSchema,
    extension_request_id: z.string().openapi({
      description: 'The extension request (a request with extends_grant_id); approve it like any request',
    }),
    status: z.literal('pending'),
  })
  .openapi('ExtensionRequested');

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The API form of a grant. */
export function grantJson(g: Grant): z.infer<typeof GrantSchema> {
  return {
    id: g.id,
    request_id: g.requestId,
    account_id: g.accountId,
    requester_id: g.requesterId,
    approver_ids: [...g.approverIds],
    revision: g.revision,
    mode: g.mode,
    status: g.status,
    not_before: g.notBefore.toISOString(),
    not_after: g.notAfter.toISOString(),
    role_name: g.roleName,
    role_arn: g.roleArn,
    activated_at: iso(g.activatedAt),
    ended_at: iso(g.endedAt),
    end_reason: g.endReason,
    revoked_by: g.revokedBy,
    revoke_reason: g.revokeReason,
    created_at: g.createdAt.toISOString(),
    updated_at: g.updatedAt.toISOString(),
    regions: g.regions == null ? null : [...g.regions],
    usage: grantUsage(g),
  };
}

/** A provisioning plan as the API shows it. */
export const PlanSchema = z
  .object({
    request_id: z.string(),
    accounts: z.array(
      z.object({
        account_id: z.string(),
        mode: z.string(),
        not_before: z.string(),
        not_after: z.string(),
        regions: z
          .array(z.string())
          .nullable()
          .openapi({ description: 'Regions the grant is limited to (aws:RequestedRegion); null = any' }),
        problems: z.array(z.string()),
        steps: z.array(
          z.object({ phase: z.enum(['provision', 'revoke']), description: z.string(), command: z.string() }),
        ),
      }),
    ),
    usage: z.array(z.string()),
  })
  .openapi('ProvisioningPlan');

/** The API form of a plan. */
export function planJson(p: ProvisioningPlan): z.infer<typeof PlanSchema> {
  return {
    request_id: p.requestId,
    accounts: p.accounts.map((a) => ({
      account_id: a.accountId,
      mode: a.mode,
      not_before: a.notBefore.toISOString(),
      not_after: a.notAfter.toISOString(),
      regions: a.regions === null ? null : [...a.regions],
      problems: [...a.problems],
      steps: a.steps.map((s) => ({ ...s })),
    })),
    usage: [...p.usage],
  };
}

/** `POST /api/v1/reconcile` body. */
export const ReconcileBody = z
  .object({
    dry_run: z
      .boolean()
      .optional()
      .openapi({ description: 'Report what would be done without changing AWS or grants (default false)' }),
  })
  .strict()
  .openapi('ReconcileRun');

/** `POST /api/v1/reconcile` answer: every finding and what was done about it. */
export const ReconcileResultSchema = z
  .object({
    dry_run: z.boolean(),
    findings: z.array(
      z.object({
        account_id: z.string(),
        kind: z.enum([
          'orphan_role',
          'missing_role',
          'policy_drift',
          'orphan_permission_set',
          'orphan_assignment',
          'missing_assignment',
        ]),
        role_name: z.string().openapi({ description: 'The role, or the permission set of an assignment' }),
        grant_id: z.string().nullable(),
        outcome: z.string().openapi({
          example: 'revoked',
          description:
            'revoked, repaired, revoking, reported; in a dry run would revoke / would repair / would report; or the AWS error',
        }),
      }),
    ),
  })
  .openapi('ReconcileResult');
