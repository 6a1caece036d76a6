// Tools over grants (the time-bound access an approved request becomes): credentials, assume instructions,
// revoke, extend. Credentials are never put into the conversation unless the caller asks for them explicitly.
import { z } from 'zod';
import type { ApiClient } from '../../client/api-client.ts';
import type { Grant } from '../../client/api-types.ts';
import { defineTool, requireCapability, type ToolDefinition, ToolFailure } from '../tool.ts';
import { defined, requestId } from './shared.ts';

const GRANTS = 'grants (GET /api/v1/grants)';
const grantId = z.string().min(1).describe('The grant id (from get_request / check_request_status grants)');

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The grant named by `grant_id`, or the single live grant of `request_id` (narrowed by `account_id`). */
async function resolveGrant(
  client: ApiClient,
  {
    grant_id,
    request_id,
    account_id,
  }: { grant_id?: string | undefined; request_id?: string | undefined; account_id?: string | undefined },
): Promise<Grant> {
  if (grant_id !== undefined) return requireCapability(GRANTS, () => client.getGrant(grant_id));
  if (request_id === undefined) throw new ToolFailure('InvalidArguments', 'give grant_id or request_id');
  const { grants } = await requireCapability(GRANTS, () =>
    client.listGrants(defined({ request_id, account_id })),
  );
  const live = grants.filter((g) => ['active', 'pending'].includes(String(g.status)));
  const pick = live.length > 0 ? live : grants;
  if (pick.length === 0)
    throw new ToolFailure(
      'NotReady',
      `request ${request_id} has no grant yet: it must be approved first (check_request_status)`,
    );
  if (pick.length > 1)
    throw new ToolFailure(
      'InvalidArguments',
      `request ${request_id} has grants in several accounts (${pick.map((g) => str(g.account_id)).join(', ')}); give account_id or grant_id`,
    );
  return pick[0] as Grant;
}

/** The shell snippets that fetch credentials on demand with the caller's API token (no secret in the text). */
export function credentialUsage(baseUrl: string, grant: Grant, profileName?: string): Record<string, string> {
  const id = String(grant.id);
  const url = `${baseUrl}/api/v1/grants/${encodeURIComponent(id)}/credentials`;
  const fetchCmd = `curl -sf -H "Authorization: Bearer $IAM_JIT_API_TOKEN" ${url}`;
  const profile = profileName ?? `iam-jit-${str(grant.account_id) ?? id}`;
  return {
    profile_name: profile,
    aws_config_profile: `[profile ${profile}]\ncredential_process = sh -c '${fetchCmd}'`,
    env_exports: `eval "$(${fetchCmd} | jq -r '"export AWS_ACCESS_KEY_ID=\\(.AccessKeyId) AWS_SECRET_ACCESS_KEY=\\(.SecretAccessKey) AWS_SESSION_TOKEN=\\(.SessionToken)"')"`,
    usage: `aws --profile ${profile} sts get-caller-identity`,
  };
}

/** get_assume_instructions, get_credentials, revoke_grant, extend_grant. */
export const GRANT_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'get_assume_instructions',
    title: 'How to use an approved request',
    description:
      'For an approved or active request: per account, the role to assume (ARN), until when, and copy-paste ways to use it (an ~/.aws/config credential_process ' +
      'profile, env exports, or aws sts assume-role for IAM principals the role trusts). Contains no secrets. Use right after approval.',
    inputSchema: { request_id: requestId },
    annotations: { readOnlyHint: true },
    async run({ request_id }, { client }) {
      const d = await client.getRequest(request_id);
      const { grants } = await requireCapability(GRANTS, () => client.listGrants({ request_id }));
      if (grants.length === 0)
        return {
          summary: `Request ${request_id} is ${d.request.status} and has no grant yet; nothing to assume until it is approved and its start time is reached.`,
          data: { request_id, status: d.request.status, grants: [] },
        };
      const out = grants.map((g) => ({
        grant_id: g.id,
        account_id: g.account_id,
        status: g.status,
        role_arn: g.role_arn ?? null,
        not_before: g.not_before ?? null,
        not_after: g.not_after ?? null,
        ...credentialUsage(client.baseUrl, g),
        ...(str(g.role_arn) !== undefined
          ? {
              assume_role: `aws sts assume-role --role-arn ${str(g.role_arn)} --role-session-name ${request_id}`,
            }
          : {}),
      }));
      const lines = out.map(
        (g) =>
          `${String(g.account_id)}: ${String(g.status)} role ${String(g.role_arn)} until ${String(g.not_after)}`,
      );
      return {
        summary: `Request ${request_id} (${d.request.status}):\n${lines.join('\n')}`,
        data: { request_id, status: d.request.status, grants: out },
      };
    },
  }),
  defineTool({
    name: 'get_credentials',
    title: 'Use the credentials of a grant',
    description:
      'How to use the AWS credentials of an active grant. By default returns NO secrets: a ~/.aws/config profile whose credential_process fetches short-lived ' +
      'credentials on demand, env export commands, and the expiry. Set reveal_secrets=true only when the user explicitly asks for the raw keys; ' +
      'they then appear in the conversation. Give grant_id, or request_id (plus account_id if it spans accounts).',
    inputSchema: {
      grant_id: grantId.optional(),
      request_id: requestId.optional(),
      account_id: z.string().optional().describe('With request_id, when the request covers several accounts'),
      profile_name: z
        .string()
        .optional()
        .describe('Name for the ~/.aws/config profile (default iam-jit-<account id>)'),
      reveal_secrets: z
        .boolean()
        .default(false)
        .describe('Return the raw access key, secret and session token (only if the user asked)'),
    },
    annotations: { readOnlyHint: false, idempotentHint: true },
    async run({ grant_id, request_id, account_id, profile_name, reveal_secrets }, { client }) {
      const grant = await resolveGrant(client, { grant_id, request_id, account_id });
      const usage = credentialUsage(client.baseUrl, grant, profile_name);
      const base = {
        grant_id: grant.id,
        account_id: grant.account_id,
        status: grant.status,
        not_after: grant.not_after ?? null,
        ...usage,
      };
      if (!reveal_secrets)
        return {
          summary: `Grant ${String(grant.id)} is ${String(grant.status)} until ${String(grant.not_after)}. Add this to ~/.aws/config:\n${usage.aws_config_profile}\nthen run: ${usage.usage}`,
          data: base,
        };
      const creds = await requireCapability('credentials (GET /api/v1/grants/{id}/credentials)', () =>
        client.getCredentials(String(grant.id)),
      );
      return {
        summary: `Credentials for grant ${String(grant.id)}, expiring ${String(creds.Expiration)} (secrets included as requested).`,
        data: { ...base, credentials: creds },
      };
    },
  }),
  defineTool({
    name: 'revoke_grant',
    title: 'Revoke a grant',
    description:
      'End a grant now: AWS sessions already issued are denied and the role is removed. Requesters may revoke their own grants (e.g. when the task is done early); ' +
      'approvers and admins any grant they oversee. Returns the grant.',
    inputSchema: { grant_id: grantId, reason: z.string().optional().describe('Why, for the audit log') },
    annotations: { destructiveHint: true, idempotentHint: true },
    async run({ grant_id, reason }, { client }) {
      const g = await requireCapability('grant revocation (POST /api/v1/grants/{id}/revoke)', () =>
        client.revokeGrant(grant_id, defined({ reason })),
      );
      return { summary: `Grant ${grant_id} is ${String(g.status)}.`, data: g };
    },
  }),
  defineTool({
    name: 'extend_grant',
    title: 'Extend a grant',
    description:
      'Lengthen an active grant by some hours (within the account maximum), e.g. when the task takes longer. Returns the grant with its new end time.',
    inputSchema: {
      grant_id: grantId,
      hours: z.number().positive().max(168).describe('Hours to add'),
      reason: z.string().optional().describe('Why more time is needed'),
    },
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ grant_id, hours, reason }, { client }) {
      const g = await requireCapability('grant extension (POST /api/v1/grants/{id}/extend)', () =>
        client.extendGrant(grant_id, defined({ hours, reason }) as { hours: number; reason?: string }),
      );
      return { summary: `Grant ${grant_id} now ends ${String(g.not_after)}.`, data: g };
    },
  }),
];
