// Tools for the requesting side: submit, follow, answer change requests, cancel, comment.
import { z } from 'zod';
import type { ApiClient } from '../../client/api-client.ts';
import { RequestSchema } from '../../client/api-schemas.ts';
import type { RequestDetail, SubmitInput } from '../../client/api-types.ts';
import { defineTool, type ToolDefinition, type ToolOutput } from '../tool.ts';
import { credentialUsage, grantsOfRequest, grantView } from './grant-tools.ts';
import {
  defined,
  RequestStatusViewSchema,
  requestId,
  requestStatusView,
  requestSummary,
  resolveAccountIds,
  revisionFields,
  submitFields,
} from './shared.ts';

/** Longest wait_for_request may block, in seconds (MCP clients commonly time a call out after a few minutes). */
export const MAX_WAIT_SECONDS = 300;

const statusEnum = RequestSchema.shape.status;

/**
 * The status view of a request, with its grants (and how to use the active ones) once it is approved, so the
 * agent needs no further call to start working.
 */
async function statusOutput(client: ApiClient, d: RequestDetail, prefix = ''): Promise<ToolOutput> {
  const view = requestStatusView(d);
  let summary = `${prefix}${requestSummary(d)}`;
  if (d.request.status === 'approved' || d.request.status === 'active') {
    const grants = await grantsOfRequest(client, d.request.id);
    if (grants !== undefined) {
      view.grants = grants.map((g) => grantView(g));
      for (const g of grants.filter((x) => x.status === 'active'))
        summary += `\nAccount ${g.account_id}: grant ${g.id} active until ${g.not_after}. Use: ${credentialUsage(g).write_profile_command} then ${credentialUsage(g).try_it}`;
    }
  }
  return { summary, data: view };
}

/** submit_role_request, check_request_status, get_request, wait_for_request, list_my_requests, … */
export const REQUESTER_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'submit_role_request',
    title: 'Submit an AWS access request',
    description:
      'Ask for time-bound AWS access for yourself; usually the first call for a task like "read access to bucket X in account Y for 2 hours". ' +
      'Give the accounts (ids or names as the user said them), exactly one of: actions (+resources, the usual choice: least privilege is drafted for you), a full policy, or service+access_levels; ' +
      'plus justification and duration_hours. Returns the request id, its status (usually "pending"), the drafted policy and its risk score (1–10). ' +
      'A human approver then decides; call wait_for_request next, which returns how to use the access once it is active. preview_request is the dry run.',
    inputSchema: {
      ...submitFields,
      account_ids: submitFields.account_ids
        .unwrap()
        .min(1)
        .describe(
          'Target AWS accounts: 12-digit ids or exact account names (see list_accounts); one grant per account',
        ),
      regions: z
        .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/))
        .max(30)
        .optional()
        .describe(
          'Only if the user names regions: limit the access to these AWS regions, e.g. ["eu-west-1"] (global services such as IAM stay usable). Default: any region',
        ),
      idempotency_key: z
        .string()
        .max(200)
        .optional()
        .describe('Reuse the same key when retrying, so the request is created once'),
    },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run({ idempotency_key, ...input }, { client }) {
      const account_ids = await resolveAccountIds(client, input.account_ids);
      const d = await client.submit(
        defined({ ...input, account_ids }) as SubmitInput,
        defined({ idempotencyKey: idempotency_key }),
      );
      return statusOutput(client, d, 'Submitted. ');
    },
  }),
  defineTool({
    name: 'check_request_status',
    title: 'Check a request',
    description:
      "Read the current status of one access request without waiting: status, current revision, risk score, approvals so far, the approver's " +
      'change request or rejection reason if any, grants, and the next step. Use wait_for_request instead to block until it changes.',
    inputSchema: { request_id: requestId },
    outputSchema: RequestStatusViewSchema,
    annotations: { readOnlyHint: true },
    async run({ request_id }, { client }) {
      return statusOutput(client, await client.getRequest(request_id));
    },
  }),
  defineTool({
    name: 'get_request',
    title: 'Get a request with its full history',
    description:
      'The full record of one access request: every revision (policy, findings, risk review), reviews, approvals, comments, events and grants. ' +
      'Use when you need the exact policy or the history; check_request_status is the short form.',
    inputSchema: { request_id: requestId },
    annotations: { readOnlyHint: true },
    async run({ request_id }, { client }) {
      const d = await client.getRequest(request_id);
      return { summary: requestSummary(d), data: d as unknown as Record<string, unknown> };
    },
  }),
  defineTool({
    name: 'wait_for_request',
    title: 'Wait until a request changes',
    description:
      "Block until the request's status changes (e.g. pending → approved, changes_requested or rejected) or timeout_seconds pass, then return " +
      `its status like check_request_status plus "changed". Use after submitting or answering changes when you have no webhook. Reports progress every second; at most ${MAX_WAIT_SECONDS} s; call again if it returns changed=false.`,
    inputSchema: {
      request_id: requestId,
      timeout_seconds: z
        .number()
        .int()
        .min(1)
        .max(MAX_WAIT_SECONDS)
        .default(50)
        .describe(
          'How long to wait at most, in seconds (default 50: many MCP clients give up on a call after 60 s unless it reports progress)',
        ),
      while_status: statusEnum
        .optional()
        .describe('Wait while the status is this one (default: the status when called)'),
    },
    outputSchema: RequestStatusViewSchema.extend({ changed: z.boolean() }),
    annotations: { readOnlyHint: true },
    async run({ request_id, timeout_seconds, while_status }, { client, signal, progress }) {
      const deadline = Date.now() + timeout_seconds * 1000;
      const onPoll = (status: string, ms: number) =>
        progress(`still ${status} after ${Math.round(ms / 1000)} s`);
      const first = await client.waitForRequest(request_id, {
        timeoutMs: timeout_seconds * 1000,
        signal,
        onPoll,
        ...(while_status !== undefined ? { whileStatus: while_status } : {}),
      });
      let { detail } = first;
      // `approved` turns `active` once provisioned (seconds): wait for that too when the server provisions.
      if (
        first.changed &&
        detail.request.status === 'approved' &&
        (await grantsOfRequest(client, request_id)) !== undefined
      )
        detail = (
          await client.waitForRequest(request_id, {
            whileStatus: 'approved',
            timeoutMs: Math.max(0, deadline - Date.now()),
            signal,
            onPoll,
          })
        ).detail;
      const out = await statusOutput(
        client,
        detail,
        first.changed ? 'Changed. ' : `No change after ${timeout_seconds} s. `,
      );
      return { summary: out.summary, data: { changed: first.changed, ...out.data } };
    },
  }),
  defineTool({
    name: 'list_my_requests',
    title: 'List my requests',
    description:
      'Your own access requests, newest first, optionally filtered by status. Returns id, status, accounts, duration and dates per request, and next_cursor for the next page.',
    inputSchema: {
      status: statusEnum.optional().describe('Only requests in this status'),
      limit: z.number().int().min(1).max(100).optional().describe('Page size (default 20)'),
      cursor: z.string().optional().describe('next_cursor of the previous page'),
    },
    annotations: { readOnlyHint: true },
    async run(q, { client }) {
      const page = await client.listRequests({ ...defined(q), mine: true });
      const lines = page.requests.map(
        (r) => `${r.id} ${r.status} accounts=${r.account_ids.join(',')} ${r.duration_hours}h`,
      );
      return {
        summary: `${page.requests.length} request(s).${lines.length ? `\n${lines.join('\n')}` : ''}`,
        data: page,
      };
    },
  }),
  defineTool({
    name: 'respond_to_changes',
    title: 'Answer a change request with a new revision',
    description:
      "When your request is changes_requested, send a new revision that addresses the approver's comment (for example a narrower policy: fewer actions or " +
      'specific resource ARNs, or a shorter duration). Give only what changes; a comment explaining it helps. The request goes back to pending and returns its new status and risk.',
    inputSchema: { request_id: requestId, ...revisionFields },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ request_id, ...input }, { client }) {
      const d = await client.resubmit(request_id, defined(input));
      return { summary: `Resubmitted. ${requestSummary(d)}`, data: requestStatusView(d) };
    },
  }),
  defineTool({
    name: 'cancel_request',
    title: 'Cancel my request',
    description:
      'Withdraw your own pending or changes_requested request when the access is no longer needed. Returns the cancelled request.',
    inputSchema: { request_id: requestId, reason: z.string().optional().describe('Why, for the record') },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: true, idempotentHint: false },
    async run({ request_id, reason }, { client }) {
      const d = await client.cancel(request_id, defined({ reason }));
      return { summary: requestSummary(d), data: requestStatusView(d) };
    },
  }),
  defineTool({
    name: 'comment_on_request',
    title: 'Comment on a request',
    description:
      "Add a comment to a request you can see (requester or approver), in any state, e.g. to answer an approver's question. Returns the comment.",
    inputSchema: { request_id: requestId, body: z.string().min(1).describe('The comment text') },
    annotations: { destructiveHint: false },
    async run({ request_id, body }, { client }) {
      const c = await client.comment(request_id, body);
      return { summary: `Comment ${c.id} added to ${request_id}.`, data: c };
    },
  }),
];
