// Input fields and summaries the tool groups share. Fields come from the API's own body schemas (SubmitBody,
// EditBody), with descriptions written for an LLM.
import { z } from 'zod';
import type { ApiClient } from '../../client/api-client.ts';
import { EditBody, RequestSchema, SubmitBody } from '../../client/api-schemas.ts';
import type { RequestDetail } from '../../client/api-types.ts';

const S = SubmitBody.shape;

/** `request_id`: the id `submit_role_request` returned (`req_…`). */
export const requestId = z
  .string()
  .min(1)
  .describe('The request id, e.g. req_01J… (from submit_role_request or a list)');

/** The three ways to say what access is needed; give exactly one. */
export const policyFields = {
  actions: S.actions.describe(
    'IAM actions the task needs, e.g. ["s3:GetObject","s3:ListBucket"]. Give either actions (+resources), or policy, or service+access_levels.',
  ),
  resources: S.resources.describe(
    'ARNs the actions apply to, e.g. ["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"]. Only with actions. Omit only if the actions need "*".',
  ),
  policy: S.policy.describe(
    'A complete IAM policy document (JSON object or text), instead of actions/resources',
  ),
  service: S.service.describe(
    'A service prefix such as "s3", with access_levels, when the exact actions are unknown',
  ),
  access_levels: S.access_levels.describe(
    'With service: any of "List", "Read", "Write", "Permissions management", "Tagging"',
  ),
};

/** Request knobs shared by submit, preview and revisions. */
export const requestFields = {
  access_type: S.access_type.describe(
    '"read-only" or "read-write" (drafting keeps read-only requests to read actions)',
  ),
  justification: S.justification.describe(
    'Why the access is needed, in one or two sentences; approvers read it',
  ),
  duration_hours: S.duration_hours.describe(
    'How long access lasts once granted, in hours (e.g. 2). Capped by the account maximum.',
  ),
  start_at: S.start_at.describe('ISO date-time when access should start (default: on approval)'),
};

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Account ids for the API from what an agent was told: 12-digit ids pass as they are; anything else is matched
 * against the accounts' names (case-insensitive), so "account Prod" needs no list_accounts call first. An unknown
 * name is passed on unchanged and the API answers `UnknownAccount`.
 */
export async function resolveAccountIds(
  client: ApiClient,
  given: readonly string[] | undefined,
): Promise<string[] | undefined> {
  if (given === undefined) return undefined;
  if (given.every((a) => ACCOUNT_ID.test(a))) return [...given];
  const { accounts } = await client.listAccounts({ limit: 500 });
  const byName = (a: string) =>
    accounts.find((x) => x.name.toLowerCase() === a.trim().toLowerCase())?.id ?? a;
  return given.map((a) => (ACCOUNT_ID.test(a) ? a : byName(a)));
}

/** The submit shape: accounts + one policy form + knobs. */
export const submitFields = {
  account_ids: S.account_ids.describe(
    'Target AWS accounts: 12-digit ids or exact account names as list_accounts shows them; one grant per account',
  ),
  ...policyFields,
  ...requestFields,
  ticket: S.ticket.describe('A ticket or issue reference, e.g. "OPS-123"'),
  tags: S.tags.describe('Free-form string labels'),
  callback_url: S.callback_url.describe('An HTTPS URL iam-jit calls when the request changes state'),
};

/** A revision (respond_to_changes, edit_request): any policy form and knobs, plus a comment. */
export const revisionFields = {
  ...policyFields,
  ...requestFields,
  comment: EditBody.shape.comment.describe('What changed and why, shown to the other side'),
};

/** Drops undefined values (the API's strict bodies treat an explicit undefined like absence anyway). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The output schema of the tools answering with `requestStatusView` (loose: tools may add fields such as
 * `changed`, and MCP clients validate `structuredContent` against it).
 */
export const RequestStatusViewSchema = z.looseObject({
  id: z.string(),
  status: RequestSchema.shape.status,
  requester_id: z.string(),
  account_ids: z.array(z.string()),
  current_revision: z.number().int(),
  duration_hours: z.number(),
  access_type: z.string(),
  risk: z.looseObject({ score: z.number(), band: z.string(), summary: z.string() }).nullable(),
  policy: z.unknown(),
  approvals_on_current_revision: z.number().int(),
  changes_requested: z.string().nullable().optional(),
  rejection_reason: z.string().nullable().optional(),
  latest_comment: z.string().nullable(),
  grants: z.array(z.unknown()),
  next_step: z.string(),
});

const NEXT_STEP: Record<string, string> = {
  pending: 'waiting for approval; call wait_for_request to be told when it changes',
  changes_requested: 'the approver asked for changes; read the comment and call respond_to_changes',
  approved: 'approved; access is being provisioned (or starts at start_at) — call wait_for_request again',
  active:
    'access is active; use the credential_process profile shown (get_credentials repeats it, or returns the keys if the user asks)',
  rejected: 'rejected; read the reason, and submit a new request only if the reason allows it',
  cancelled: 'cancelled; nothing more happens',
  expired: 'access has expired; submit a new request if still needed',
  revoked: 'access was revoked',
  failed: 'provisioning failed; ask an administrator',
  timed_out: 'no approver acted in time; submit again if still needed',
};

/** What the agent should do next for a request in `status`. */
export function nextStepFor(status: string): string {
  return NEXT_STEP[status] ?? 'see get_request';
}

/** The compact status view of a request (check_request_status, wait_for_request, and after each action). */
export function requestStatusView(d: RequestDetail): Record<string, unknown> {
  const r = d.request;
  const current = d.revisions.find((v) => v.number === r.current_revision) ?? d.revisions.at(-1);
  const lastChanges = [...d.reviews].reverse().find((v) => v.decision === 'request_changes');
  const lastReject = [...d.reviews].reverse().find((v) => v.decision === 'reject');
  return {
    id: r.id,
    status: r.status,
    requester_id: r.requester_id,
    account_ids: r.account_ids,
    current_revision: r.current_revision,
    duration_hours: r.duration_hours,
    access_type: r.access_type,
    risk:
      current === undefined
        ? null
        : { score: current.risk.score, band: current.risk.band, summary: current.risk.summary },
    policy: current?.policy ?? null,
    approvals_on_current_revision: d.approvals.filter((a) => a.revision === r.current_revision).length,
    ...(r.status === 'changes_requested' && lastChanges !== undefined
      ? { changes_requested: lastChanges.comment }
      : {}),
    ...(r.status === 'rejected' && lastReject !== undefined ? { rejection_reason: lastReject.comment } : {}),
    latest_comment: d.comments.at(-1)?.body ?? null,
    grants: d.grants,
    next_step: nextStepFor(r.status),
  };
}

/** One line: `req_… is pending (revision 2, risk 3/10 low) — <next step>`. */
export function requestSummary(d: RequestDetail): string {
  const v = requestStatusView(d);
  const risk = v.risk as { score: number; band: string } | null;
  const extra = v.changes_requested
    ? ` Approver asked: "${String(v.changes_requested)}".`
    : v.rejection_reason
      ? ` Reason: "${String(v.rejection_reason)}".`
      : '';
  return `Request ${d.request.id} is ${d.request.status} (revision ${d.request.current_revision}${risk ? `, risk ${risk.score}/10 ${risk.band}` : ''}).${extra} Next: ${nextStepFor(d.request.status)}.`;
}
