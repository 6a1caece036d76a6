// The two-agent approval flow both transports run: draft and submit, request changes, answer with a narrower
// revision, approve; and the role rule on approve_request.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, PROD } from './fixtures.ts';

/** Runs the flow with `requester` (alice) and `approver` (bob); returns the request id. */
export async function runApprovalFlow(requester: Client, approver: Client): Promise<{ id: string }> {
  const drafted = await callTool(requester, 'draft_policy', {
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: ['arn:aws:s3:::orders/*'],
  });
  const actions = JSON.stringify(drafted.data.policy);
  assert.match(actions, /s3:GetObject/);
  assert.match(actions, /s3:PutObject/);

  const submitted = await callTool(requester, 'submit_role_request', {
    account_ids: [PROD],
    policy: drafted.data.policy,
    justification: 'Reprocess the orders export',
    duration_hours: 2,
  });
  const id = String(submitted.data.id);
  assert.equal(String(submitted.data.status), 'pending');
  assert.match(submitted.text, /is pending/);

  const pending = await callTool(approver, 'list_pending_requests', {});
  const ids = (pending.data.requests as unknown as { id: string }[]).map((r) => r.id);
  assert.ok(ids.includes(id), `pending list ${ids.join(',')} lacks ${id}`);
  const changes = await callTool(approver, 'request_changes', {
    request_id: id,
    comment: 'Read only, please',
  });
  assert.equal(String(changes.data.status), 'changes_requested');

  const seen = await callTool(requester, 'check_request_status', { request_id: id });
  assert.equal(String(seen.data.changes_requested), 'Read only, please');
  assert.match(seen.text, /respond_to_changes/);
  const answered = await callTool(requester, 'respond_to_changes', {
    request_id: id,
    actions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::orders/*'],
    comment: 'Dropped PutObject',
  });
  assert.equal(String(answered.data.status), 'pending');
  assert.equal(Number(answered.data.current_revision), 2);
  assert.doesNotMatch(JSON.stringify(answered.data.policy), /PutObject/);

  const refused = await callTool(requester, 'approve_request', { request_id: id }, { expectError: true });
  assert.match(refused.text, /approver role required/);
  assert.equal(String(refused.data.error?.code), 'Forbidden');

  const approved = await callTool(approver, 'approve_request', { request_id: id, comment: 'ok' });
  assert.ok(['approved', 'active'].includes(String(approved.data.status)), approved.text);
  const waited = await callTool(requester, 'wait_for_request', {
    request_id: id,
    while_status: 'pending',
    timeout_seconds: 5,
  });
  assert.equal(waited.data.changed as unknown, true);
  assert.ok(['approved', 'active'].includes(String(waited.data.status)), waited.text);
  return { id };
}
