// The two-agent flow both transports run: the requester drafts and submits, the approver requests changes, the
// requester answers with a narrower revision, the approver approves; the grant is provisioned in the emulator and
// the requester's credentials work there — for the narrowed policy only. Plus the role rule on approve_request.
import assert from 'node:assert/strict';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, type McpWorld, PROD } from './fixtures.ts';

/** Runs the flow with `requester` (alice) and `approver` (bob); returns the request and grant ids. */
export async function runApprovalFlow(
  world: McpWorld,
  requester: Client,
  approver: Client,
): Promise<{ id: string; grantId: string }> {
  const drafted = await callTool(requester, 'draft_policy', { actions: ['iam:ListRoles', 'iam:GetRole'] });
  assert.match(JSON.stringify(drafted.data.policy), /iam:GetRole/);

  const submitted = await callTool(requester, 'submit_role_request', {
    account_ids: [PROD],
    policy: drafted.data.policy,
    justification: 'Audit which roles exist and what they trust',
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
    comment: 'Roles only, please',
  });
  assert.equal(String(changes.data.status), 'changes_requested');

  const seen = await callTool(requester, 'check_request_status', { request_id: id });
  assert.equal(String(seen.data.changes_requested), 'Roles only, please');
  assert.match(seen.text, /respond_to_changes/);
  const answered = await callTool(requester, 'respond_to_changes', {
    request_id: id,
    actions: ['iam:ListRoles'],
    comment: 'Dropped GetRole',
  });
  assert.equal(String(answered.data.status), 'pending');
  assert.equal(Number(answered.data.current_revision), 2);
  assert.doesNotMatch(JSON.stringify(answered.data.policy), /GetRole/);

  const refused = await callTool(requester, 'approve_request', { request_id: id }, { expectError: true });
  assert.match(refused.text, /approver role required/);
  assert.equal(String(refused.data.error?.code), 'Forbidden');

  const approved = await callTool(approver, 'approve_request', { request_id: id, comment: 'ok' });
  assert.ok(['approved', 'active'].includes(String(approved.data.status)), approved.text);

  // The job runner provisions the grant in the emulator; wait_for_request follows approved → active.
  const waited = await callTool(requester, 'wait_for_request', {
    request_id: id,
    while_status: 'pending',
    timeout_seconds: 60,
  });
  assert.equal(waited.data.changed as unknown, true);
  assert.equal(String(waited.data.status), 'active', waited.text);
  assert.match(waited.text, /iam-jit creds grt_\w+ --write-profile/);
  const grantId = String((waited.data.grants as unknown as { grant_id: string }[])[0]?.grant_id);

  const usage = await callTool(requester, 'get_credentials', { request_id: id });
  assert.match(usage.text, new RegExp(`credential_process = iam-jit creds ${grantId}`));
  assert.doesNotMatch(usage.text, /SecretAccessKey|SessionToken/);
  assert.equal(usage.data.credentials, undefined);

  const revealed = await callTool(requester, 'get_credentials', { grant_id: grantId, reveal_secrets: true });
  const creds = revealed.data.credentials as unknown as {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
  };
  const iam = new IAMClient({
    endpoint: world.aws.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    },
  });
  const roles = await iam.send(new ListRolesCommand({}));
  assert.ok((roles.Roles ?? []).length > 0);
  // The approver narrowed the request to ListRoles: GetRole stays denied.
  await assert.rejects(
    iam.send(new GetRoleCommand({ RoleName: 'iam-jit-provisioner' })),
    /AccessDenied|not authorized/,
  );
  return { id, grantId };
}
