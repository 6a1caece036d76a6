// Grant-driven request transitions (approved → active → revoked / expired / failed) are in the request's own
// history (GET /api/v1/requests/{id} `events`) and in the audit log (`request.<event>`), written with the change.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { HOUR } from '../../src/lib/clock.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type AppHarness, startAppHarness } from './app-harness.ts';
import { EXTERNAL_ID } from './harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};

forEachDialect('grants: request events', (ctx) => {
  let h: AppHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startAppHarness(ctx);
  });
  afterEach(() => h.close());

  async function history(requestId: string) {
    const r = await h.call('GET', `/api/v1/requests/${requestId}`, h.users.alice);
    return (r.body.events as Record<string, unknown>[]).map((e) => [
      e.seq,
      e.type,
      e.actor_id,
      e.from_status,
      e.to_status,
      (e.data as Record<string, unknown>).grant_id ?? null,
    ]);
  }
  async function auditOf(requestId: string) {
    const r = await h.call('GET', `/api/v1/audit?subject=${requestId}`, h.users.root);
    return (r.body.events as { action: string; data: Record<string, unknown> }[]).map((e) => [
      e.action,
      e.data.to_status,
    ]);
  }
  const submit = { account_ids: ['222222222222'], justification: 'debug', duration_hours: 1, policy: POLICY };

  test('activated and revoked are in the request history and the audit log', async () => {
    const { requestId, grant } = await h.grantFor(submit);
    const bob = h.users.bob.user.id;
    const alice = h.users.alice.user.id;
    assert.deepEqual(await history(requestId), [
      [1, 'submitted', alice, null, 'pending', null],
      [2, 'approved', bob, 'pending', 'approved', null],
      [3, 'activated', 'system', 'approved', 'active', grant.id],
    ]);
    const revoked = await h.call('POST', `/api/v1/grants/${grant.id as string}/revoke`, h.users.bob, {
      reason: 'done',
    });
    assert.equal(revoked.status, 202);
    await h.runDue();
    assert.deepEqual((await history(requestId)).at(-1), [
      4,
      'revoked',
      'system',
      'active',
      'revoked',
      grant.id,
    ]);
    assert.deepEqual(await auditOf(requestId), [
      ['request.submitted', 'pending'],
      ['request.approved', 'approved'],
      ['request.activated', 'active'],
      ['request.revoked', 'revoked'],
    ]);
  });

  test('expired at not_after; a request whose provisioning gave up is failed', async () => {
    const { requestId, grant } = await h.grantFor(submit);
    h.clock.advance(HOUR);
    await h.runDue();
    assert.deepEqual((await history(requestId)).at(-1), [
      4,
      'expired',
      'system',
      'active',
      'expired',
      grant.id,
    ]);
    assert.deepEqual((await auditOf(requestId)).at(-1), ['request.expired', 'expired']);

    // The spoke no longer trusts the hub: provisioning fails every run, dead-letters, and the request fails.
    await h.services.accounts.update('222222222222', { externalId: 'wrong-external-id-0000' }, 'system');
    const submitted = await h.call('POST', '/api/v1/requests', h.users.alice, submit);
    const failedId = (submitted.body.request as Record<string, unknown>).id as string;
    assert.equal((await h.call('POST', `/api/v1/requests/${failedId}/approve`, h.users.bob, {})).status, 200);
    const grantOf = async () =>
      (
        (await h.call('GET', `/api/v1/grants?request_id=${failedId}`, h.users.alice)).body.items as {
          status: string;
        }[]
      )[0];
    for (let i = 0; i < 40 && (await grantOf())?.status === 'pending'; i++) {
      await h.runDue();
      h.clock.advance(3 * 60_000);
    }
    // Provisioning gave up (the grant is revoking for clean-up); with the spoke reachable again it ends as failed.
    assert.equal((await grantOf())?.status, 'revoking');
    await h.services.accounts.update('222222222222', { externalId: EXTERNAL_ID }, 'system');
    h.clock.advance(10 * 60_000);
    await h.runDue();
    assert.equal((await grantOf())?.status, 'failed');
    const last = (await history(failedId)).at(-1);
    assert.deepEqual(last?.slice(1, 5), ['failed', 'system', 'approved', 'failed']);
    assert.deepEqual((await auditOf(failedId)).at(-1), ['request.failed', 'failed']);
  });
});
