// Tools for the approving side: the queue, decisions, and narrowing a request before approving it.
import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../tool.ts';
import {
  defined,
  RequestStatusViewSchema,
  requestId,
  requestStatusView,
  requestSummary,
  revisionFields,
} from './shared.ts';

/** list_pending_requests, approve_request, reject_request, request_changes, edit_request. */
export const APPROVER_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'list_pending_requests',
    title: 'Requests waiting for my approval',
    description:
      'Approvers: pending access requests on accounts you approve, newest first (never your own). Returns id, requester, accounts, duration per request. ' +
      'Call get_request on one to read its policy and risk review before deciding.',
    inputSchema: {
      limit: z.number().int().min(1).max(100).optional().describe('Page size (default 20)'),
      cursor: z.string().optional().describe('next_cursor of the previous page'),
    },
    annotations: { readOnlyHint: true },
    async run(q, { client }) {
      const page = await client.listPending(defined(q));
      const lines = page.requests.map(
        (r) =>
          `${r.id} from ${r.requester_id} accounts=${r.account_ids.join(',')} ${r.duration_hours}h: ${r.justification}`,
      );
      return {
        summary: `${page.requests.length} pending request(s).${lines.length ? `\n${lines.join('\n')}` : ''}`,
        data: page,
      };
    },
  }),
  defineTool({
    name: 'approve_request',
    title: 'Approve a request',
    description:
      "Approvers: approve the current revision of a pending request. When the account's quorum is met the request becomes approved and access is provisioned " +
      "for its duration. You cannot approve your own request. Returns the request's new status.",
    inputSchema: {
      request_id: requestId,
      comment: z.string().optional().describe('Optional note for the requester'),
    },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ request_id, comment }, { client }) {
      const d = await client.approve(request_id, defined({ comment }));
      return { summary: `Approval recorded. ${requestSummary(d)}`, data: requestStatusView(d) };
    },
  }),
  defineTool({
    name: 'reject_request',
    title: 'Reject a request',
    description:
      'Approvers: reject a pending request for good, with a reason the requester will read. Prefer request_changes when a narrower request would be acceptable.',
    inputSchema: { request_id: requestId, reason: z.string().min(1).describe('Why it is rejected') },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: true, idempotentHint: false },
    async run({ request_id, reason }, { client }) {
      const d = await client.reject(request_id, { reason });
      return { summary: requestSummary(d), data: requestStatusView(d) };
    },
  }),
  defineTool({
    name: 'request_changes',
    title: 'Send a request back for changes',
    description:
      'Approvers: send a pending request back to its requester with a comment saying what to change (e.g. "limit to arn:aws:s3:::orders/* and 1 hour"). ' +
      'The requester answers with respond_to_changes. Use edit_request instead to make the change yourself.',
    inputSchema: {
      request_id: requestId,
      comment: z.string().min(1).describe('What must change before you approve'),
    },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ request_id, comment }, { client }) {
      const d = await client.requestChanges(request_id, { comment });
      return { summary: requestSummary(d), data: requestStatusView(d) };
    },
  }),
  defineTool({
    name: 'edit_request',
    title: 'Narrow a pending request',
    description:
      'Approvers (or the requester): replace the policy or knobs of a pending request with a new revision, typically narrowing it (fewer actions, specific ARNs, ' +
      "shorter duration). Approvals start over and the requester is notified. Give only what changes and a comment. Returns the new revision's status and risk.",
    inputSchema: { request_id: requestId, ...revisionFields },
    outputSchema: RequestStatusViewSchema,
    annotations: { destructiveHint: false, idempotentHint: false },
    async run({ request_id, ...input }, { client }) {
      const d = await client.editRequest(request_id, defined(input));
      return { summary: `Edited. ${requestSummary(d)}`, data: requestStatusView(d) };
    },
  }),
];
