// Who am I, which accounts exist, and the admin tools (users, accounts, grant reports).
import { z } from 'zod';
import { AccountSchema, GrantSchema, RoleSchema } from '../../client/api-schemas.ts';
import type { CreateAccountInput } from '../../client/api-types.ts';
import { defineTool, type ToolDefinition } from '../tool.ts';
import { defined } from './shared.ts';

const A = AccountSchema.shape;

/** whoami, list_accounts, list_users, register_account, report_grants. */
export const DISCOVERY_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'whoami',
    title: 'Who am I',
    description:
      'Your iam-jit identity: user id, display name, roles (requester, approver, admin) and how you authenticated. Call first to know which tools apply to you.',
    inputSchema: {},
    annotations: { readOnlyHint: true },
    async run(_args, { client }) {
      const me = await client.me();
      return {
        summary: `You are ${me.user_id} (roles: ${me.roles.join(', ')}), signed in by ${me.auth_method}.`,
        data: me,
      };
    },
  }),
  defineTool({
    name: 'list_accounts',
    title: 'List AWS accounts',
    description:
      'The AWS accounts iam-jit can grant access to: id (use it as account_ids), name, environment (prod, nonprod, …), approvers, maximum duration, allowed services. ' +
      'Use to pick the account named in the task (match by name or id).',
    inputSchema: {
      limit: z.number().int().min(1).max(500).optional().describe('Page size (default 100)'),
      after: z.string().optional().describe('next_cursor of the previous page'),
    },
    annotations: { readOnlyHint: true },
    async run(q, { client }) {
      const page = await client.listAccounts(defined(q));
      const lines = page.accounts.map(
        (a) => `${a.id} ${a.name} (${a.environment}, max ${a.max_duration_hours ?? 'default'} h)`,
      );
      return {
        summary: `${page.accounts.length} account(s).${lines.length ? `\n${lines.join('\n')}` : ''}`,
        data: page,
      };
    },
  }),
  defineTool({
    name: 'list_users',
    title: 'List users (admin)',
    description:
      'Admins: iam-jit users with their roles and enabled flag, optionally only those holding one role.',
    inputSchema: {
      role: RoleSchema.optional().describe('Only users holding this role'),
      limit: z.number().int().min(1).max(500).optional().describe('Page size (default 100)'),
      after: z.string().optional().describe('next_cursor of the previous page'),
    },
    annotations: { readOnlyHint: true },
    async run(q, { client }) {
      const page = await client.listUsers(defined(q));
      return {
        summary: `${page.users.length} user(s): ${page.users.map((u) => `${u.user_id} [${u.roles.join(',')}]${u.enabled ? '' : ' (disabled)'}`).join('; ')}`,
        data: page,
      };
    },
  }),
  defineTool({
    name: 'register_account',
    title: 'Register an AWS account (admin)',
    description:
      'Admins: add a destination AWS account iam-jit may grant access to, with its environment, approvers (user ids), quorum and maximum duration. Returns the account.',
    inputSchema: {
      id: z
        .string()
        .regex(/^\d{12}$/)
        .describe('The 12-digit AWS account id'),
      name: A.name.describe('A human name, e.g. "Production"'),
      environment: A.environment.describe('prod, nonprod, staging, …'),
      provisioning_mode: A.provisioning_mode.optional().describe('iam_role (default) or identity_center'),
      spoke_role_arn: z.string().optional().describe('Role the hub assumes in this account to provision'),
      external_id: z.string().optional().describe('ExternalId the spoke role requires, if any'),
      approvers: A.approvers
        .optional()
        .describe('User ids allowed to approve, e.g. ["email:bob@example.com"]'),
      required_approvals: A.required_approvals.optional().describe('Quorum (default 1)'),
      max_duration_hours: z.number().positive().optional().describe('Longest grant in hours'),
      allowed_services: z
        .array(z.string())
        .optional()
        .describe('Service prefixes requests may use, e.g. ["s3"]'),
      permission_set_arn: z
        .string()
        .optional()
        .describe(
          'identity_center only: an existing permission set (arn:aws:sso:::permissionSet/…) every grant uses instead of a per-grant one',
        ),
    },
    annotations: { destructiveHint: false, idempotentHint: false },
    async run(input, { client }) {
      const a = await client.createAccount(defined(input) as CreateAccountInput);
      return { summary: `Registered account ${a.id} (${a.name}, ${a.environment}).`, data: a };
    },
  }),
  defineTool({
    name: 'report_grants',
    title: 'Grants report (admin)',
    description:
      'Admins only (others get "admin role required"): the compliance report of grants created in a time window, oldest first, from GET /api/v1/reports/grants. ' +
      'Per grant: account (id, name, environment), requester, approvers, mode, status, not_before/not_after, activated/ended, revoked by and why, ' +
      'risk score of the approved revision, and the justification. Filter by status, account and since/until; summary counts grants per status. ' +
      'To find the grant of your own request use check_request_status or get_assume_instructions instead.',
    inputSchema: {
      status: GrantSchema.shape.status
        .optional()
        .describe('pending, active, revoking, expired, revoked or failed'),
      account_id: z.string().optional().describe('Only grants in this 12-digit AWS account'),
      since: z
        .string()
        .optional()
        .describe('Grants created at or after this ISO-8601 date or date-time, e.g. 2026-11-01'),
      until: z.string().optional().describe('Grants created before this ISO-8601 date or date-time'),
      limit: z.number().int().min(1).max(1000).optional().describe('At most this many rows (default 100)'),
    },
    annotations: { readOnlyHint: true },
    async run({ limit = 100, ...q }, { client }) {
      const report = await client.reportGrants({ ...defined(q), limit });
      const lines = report.items.map(
        (g) =>
          `${g.grant_id} ${g.status} ${g.requester_id} in ${g.account_id} ${g.not_before} → ${g.not_after}` +
          ` risk ${g.risk_score ?? '?'} approved by ${g.approver_ids.join(', ') || '-'}`,
      );
      const more = report.summary.truncated ? ' (more matched: narrow since/until or raise limit)' : '';
      return {
        summary: `${report.items.length} grant(s)${more}.${lines.length ? `\n${lines.join('\n')}` : ''}`,
        data: report,
      };
    },
  }),
];
