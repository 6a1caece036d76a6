// Tools over grants (the time-bound access an approved request becomes): credentials, assume instructions,
// revoke, extend. Credentials are never put into the conversation unless the caller asks for them explicitly.
import { z } from 'zod';
import type { ApiClient } from '../../client/api-client.ts';
import type { Grant } from '../../client/api-types.ts';
import { defineTool, requireCapability, type ToolDefinition, ToolFailure } from '../tool.ts';
import { requestId } from './shared.ts';

const GRANTS = 'grants (GET /api/v1/grants)';
const grantId = z
  .string()
  .min(1)
  .describe(
    'The grant id, grt_… (from check_request_status or get_assume_instructions; admins: report_grants)',
  );

/** How to use a grant without putting a secret in the conversation (the `iam-jit creds` CLI fetches them). */
export function credentialUsage(grant: Grant, profileName?: string): Record<string, string> {
  const profile = profileName ?? `iam-jit-${grant.account_id}`;
  return {
    profile_name: profile,
    aws_config_profile: `[profile ${profile}]\ncredential_process = iam-jit creds ${grant.id}`,
    write_profile_command: `iam-jit creds ${grant.id} --write-profile ${profile}`,
    env_exports_command: `eval "$(iam-jit creds ${grant.id} --format env)"`,
    try_it: `aws --profile ${profile} sts get-caller-identity`,
  };
}

/** A grant as the tools show it: the grant plus how to use it (no secrets). */
export function grantView(g: Grant, profileName?: string): Record<string, unknown> {
  return {
    grant_id: g.id,
    account_id: g.account_id,
    status: g.status,
    role_arn: g.role_arn,
    not_before: g.not_before,
    not_after: g.not_after,
    ...(g.status === 'active' ? credentialUsage(g, profileName) : {}),
  };
}

/** The grants of a request, or undefined when the server has no grants API (provisioning not configured). */
export async function grantsOfRequest(client: ApiClient, request_id: string): Promise<Grant[] | undefined> {
  try {
    return (await requireCapability(GRANTS, () => client.listGrants({ request_id }))).items;
  } catch (e) {
    if (e instanceof ToolFailure && e.code === 'MissingCapability') return undefined;
    throw e;
  }
}

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
  const { items } = await requireCapability(GRANTS, () => client.listGrants({ request_id }));
  const mine = items.filter((g) => account_id === undefined || g.account_id === account_id);
  const live = mine.filter((g) => g.status === 'active' || g.status === 'pending');
  const pick = live.length > 0 ? live : mine;
  if (pick.length === 0)
    throw new ToolFailure(
      'NotReady',
      `request ${request_id} has no grant yet: it must be approved first (wait_for_request)`,
    );
  if (pick.length > 1)
    throw new ToolFailure(
      'InvalidArguments',
      `request ${request_id} has grants in several accounts (${pick.map((g) => g.account_id).join(', ')}); give account_id or grant_id`,
    );
  return pick[0] as Grant;
}

/** get_assume_instructions, get_credentials, revoke_grant, extend_grant. */
export const GRANT_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'get_assume_instructions',
    title: 'How to use an approved request',
    description:
      'For an approved or active request: per account, the grant, its role ARN, until when, and copy-paste ways to use it (an ~/.aws/config ' +
      'credential_process profile line, env exports, a test command). Contains no secrets. check_request_status and wait_for_request include the same once active.',
    inputSchema: { request_id: requestId },
    annotations: { readOnlyHint: true },
    async run({ request_id }, { client }) {
      const d = await client.getRequest(request_id);
      const grants = await requireCapability(GRANTS, () => client.listGrants({ request_id }));
      if (grants.items.length === 0)
        return {
          summary: `Request ${request_id} is ${d.request.status} and has no grant yet; nothing to use until it is approved and provisioned.`,
          data: { request_id, status: d.request.status, grants: [] },
        };
      const out = grants.items.map((g) => grantView(g));
      const lines = grants.items.map(
        (g) =>
          `${g.account_id}: grant ${g.id} ${g.status} until ${g.not_after}${g.status === 'active' ? `\n${credentialUsage(g).aws_config_profile}` : ''}`,
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
      'How to use the AWS credentials of an active grant. By default returns NO secrets: a ~/.aws/config profile whose credential_process ' +
      '(`iam-jit creds <grant>`) fetches short-lived credentials on demand, an env-export command, and the expiry. Set reveal_secrets=true only when ' +
      'the user explicitly asks for the raw keys; they then appear in the conversation. Give grant_id, or request_id (plus account_id if it spans accounts).',
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
    annotations: { readOnlyHint: true },
    async run({ grant_id, request_id, account_id, profile_name, reveal_secrets }, { client }) {
      const grant = await resolveGrant(client, { grant_id, request_id, account_id });
      if (grant.status !== 'active')
        throw new ToolFailure(
          'NotReady',
          `grant ${grant.id} is ${grant.status}, not active: no credentials (${grant.end_reason ?? 'wait_for_request until the request is active'})`,
        );
      const usage = credentialUsage(grant, profile_name);
      const base = { ...grantView(grant, profile_name), ...usage };
      if (!reveal_secrets)
        return {
          summary: `Grant ${grant.id} is active until ${grant.not_after}. Run \`${usage.write_profile_command}\` (or add to ~/.aws/config:\n${usage.aws_config_profile}\n) then: ${usage.try_it}`,
          data: base,
        };
      const creds = await client.getCredentials(grant.id);
      return {
        summary: `Credentials for grant ${grant.id}, expiring ${creds.Expiration} (secrets included as requested).`,
        data: { ...base, credentials: creds },
      };
    },
  }),
  defineTool({
    name: 'revoke_grant',
    title: 'Revoke a grant',
    description:
      'End a grant now: AWS sessions already issued are denied and the role is removed (asynchronously: the grant is "revoking", then "revoked"). ' +
      'Requesters may revoke their own grants (e.g. when the task is done early); approvers of the account and admins any. Returns the grant.',
    inputSchema: { grant_id: grantId, reason: z.string().min(1).describe('Why, for the audit log') },
    annotations: { destructiveHint: true, idempotentHint: true },
    async run({ grant_id, reason }, { client }) {
      const g = await requireCapability('grant revocation (POST /api/v1/grants/{id}/revoke)', () =>
        client.revokeGrant(grant_id, { reason }),
      );
      return { summary: `Grant ${grant_id} is ${g.status}.`, data: grantView(g) };
    },
  }),
  defineTool({
    name: 'extend_grant',
    title: 'Extend a grant',
    description:
      "Lengthen an active grant by some hours (within the account maximum), e.g. when the task takes longer. For your own grant this asks for an extension: an extension request the account's approvers decide on like any request (then call wait_for_request with the returned extension_request_id; the grant's end moves once approved). An approver extending someone else's grant extends it at once. Returns the grant (and the extension request id when one was made).",
    inputSchema: {
      grant_id: grantId,
      hours: z.number().positive().max(168).describe('Hours to add'),
      reason: z.string().min(1).max(2000).describe('Why more time is needed (recorded in the audit log)'),
    },
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ grant_id, hours, reason }, { client }) {
      const r = await requireCapability('grant extension (POST /api/v1/grants/{id}/extend)', () =>
        client.extendGrant(grant_id, { hours, reason }),
      );
      if ('extension_request_id' in r)
        return {
          summary: `Extension of grant ${grant_id} by ${hours} h requested as ${r.extension_request_id} (pending approval; the grant still ends ${r.grant.not_after}). Call wait_for_request with request_id ${r.extension_request_id}.`,
          data: { ...grantView(r.grant), extension_request_id: r.extension_request_id },
        };
      return { summary: `Grant ${grant_id} now ends ${r.not_after}.`, data: grantView(r) };
    },
  }),
];
