import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import {
  admin,
  alice,
  bob,
  carol,
  DEV,
  dave,
  eve,
  makeServices,
  PROD,
  QUORUM2,
  READ_POLICY,
  seedAccounts,
} from '../../test/requests/fixtures.ts';
import { auditReaderFor } from '../../test/requests/stores.ts';
import { forEachDialect } from '../../test/support/dialects.ts';
import { type BrokerErrorCode, isBrokerError } from '../lib/errors.ts';
import type { Actor } from './request-rules.ts';
import type { RequestService } from './request-service.ts';

function rejectsWith(
  code: BrokerErrorCode,
  check: (details: Record<string, unknown>) => boolean = () => true,
) {
  return (e: unknown) => isBrokerError(e, code) && check((e.details ?? {}) as Record<string, unknown>);
}
const illegalIn = (status: string) => rejectsWith('IllegalTransition', (d) => d.status === status);

forEachDialect('request reviews', (ctx) => {
  let service: RequestService;
  beforeEach(async () => {
    await ctx.reset();
    const s = makeServices(ctx);
    service = s.service;
    await seedAccounts(s.accounts);
  });

  const submit = (accountId: string, by: Actor = alice) =>
    service.submit(by, {
      accountIds: [accountId],
      justification: 'debug',
      durationHours: 1,
      spec: { type: 'policy', policy: READ_POLICY },
    });

  test('one approval meets quorum 1: approved, with an event in the same change', async () => {
    const id = await submit(PROD);
    await service.approve(bob, id, { comment: 'ok' });
    const d = await service.get(alice, id);
    assert.equal(d.request.status, 'approved');
    assert.equal(d.request.version, 2);
    assert.deepEqual(
      d.approvals.map((a) => [a.reviewerId, a.revision, a.comment]),
      [[bob.id, 1, 'ok']],
    );
    assert.deepEqual(
      d.events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorId]),
      [
        ['submitted', null, 'pending', alice.id],
        ['approved', 'pending', 'approved', bob.id],
      ],
    );
  });

  test('every change is in the hash-chained audit log; a refused change leaves no audit row', async () => {
    const id = await submit(PROD);
    await service.comment(bob, id, { body: 'looking' });
    await assert.rejects(service.approve(alice, id), rejectsWith('SelfApproval'));
    await service.approve(bob, id);
    const records = await auditReaderFor(ctx).list({ subject: id }, 0, 100);
    assert.deepEqual(
      records.map((r) => [r.action, r.actor]),
      [
        ['request.submitted', alice.id],
        ['request.commented', bob.id],
        ['request.approved', bob.id],
      ],
    );
    assert.equal(JSON.parse(records[2]?.data ?? '{}').to_status, 'approved');
  });

  test('the requester never approves their own request, not even an admin', async () => {
    const id = await submit(PROD, admin);
    await assert.rejects(service.approve(admin, id), rejectsWith('SelfApproval'));
    await assert.rejects(service.reject(admin, id, { reason: 'x' }), rejectsWith('SelfApproval'));
    const mine = await submit(DEV, bob);
    await assert.rejects(service.approve(bob, mine), rejectsWith('SelfApproval'));
  });

  test('who may review: listed approvers and admins; others do not even see the request', async () => {
    const id = await submit(PROD);
    await assert.rejects(service.approve(eve, id), rejectsWith('NotFound'));
    await assert.rejects(service.approve(dave, id), rejectsWith('NotFound'));
    await assert.rejects(service.approve(carol, id), rejectsWith('NotFound')); // approves DEV, not PROD
    // An approver listed on the account but without the approver role any more does not count.
    const demoted: Actor = { id: bob.id, roles: ['requester'] };
    await assert.rejects(service.approve(demoted, id), rejectsWith('NotFound'));
    await service.approve(admin, id);
    assert.equal((await service.get(alice, id)).request.status, 'approved');
  });

  test('quorum 2 needs two distinct approvers on the current revision', async () => {
    const id = await submit(QUORUM2);
    await service.approve(bob, id);
    assert.equal((await service.get(alice, id)).request.status, 'pending');
    await assert.rejects(service.approve(bob, id), rejectsWith('AlreadyReviewed'));
    await service.approve(carol, id);
    const d = await service.get(alice, id);
    assert.equal(d.request.status, 'approved');
    assert.deepEqual(d.approvals.map((a) => a.reviewerId).sort(), [bob.id, carol.id]);
  });

  test("an approver's edit creates a revision and resets approvals", async () => {
    const id = await submit(QUORUM2);
    await service.approve(bob, id);
    const narrower = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/2026/*' }],
    };
    await service.edit(carol, id, { spec: { type: 'policy', policy: narrower }, comment: 'narrowed' });
    let d = await service.get(alice, id);
    assert.equal(d.request.currentRevision, 2);
    assert.equal(d.revisions[1]?.authorId, carol.id);
    assert.deepEqual(d.approvals, []);
    assert.deepEqual(d.events.at(-1)?.data, {
      revision: 2,
      by_requester: false,
      comment: 'narrowed',
      risk_score: d.revisions[1]?.risk.score,
    });
    await service.approve(bob, id); // bob's approval of revision 1 no longer counts
    assert.equal((await service.get(alice, id)).request.status, 'pending');
    await service.approve(carol, id);
    d = await service.get(alice, id);
    assert.equal(d.request.status, 'approved');
    assert.deepEqual(
      d.approvals.map((a) => a.revision),
      [2, 2],
    );
  });

  test('the requester may edit while pending; edits by non-approvers are refused', async () => {
    const id = await submit(DEV);
    await service.edit(alice, id, { justification: 'more detail', durationHours: 2 });
    const d = await service.get(alice, id);
    assert.equal(d.request.justification, 'more detail');
    assert.equal(d.request.durationHours, 2);
    assert.equal(d.revisions.length, 2);
    await assert.rejects(service.edit(eve, id, { durationHours: 3 }), rejectsWith('NotFound'));
    const prod = await submit(PROD);
    await assert.rejects(service.edit(admin, prod, { durationHours: 99 }), rejectsWith('DurationExceedsMax'));
  });

  test('reject needs a reason and ends the request; every later action is an IllegalTransition', async () => {
    const id = await submit(DEV);
    await assert.rejects(
      service.reject(bob, id, { reason: ' ' }),
      rejectsWith('InvalidInput', (d) => d.field === 'reason'),
    );
    await service.reject(bob, id, { reason: 'too broad' });
    const d = await service.get(alice, id);
    assert.equal(d.request.status, 'rejected');
    assert.deepEqual(
      d.reviews.map((r) => [r.decision, r.comment]),
      [['reject', 'too broad']],
    );
    await assert.rejects(service.approve(carol, id), illegalIn('rejected'));
    await assert.rejects(service.reject(carol, id, { reason: 'x' }), illegalIn('rejected'));
    await assert.rejects(service.requestChanges(carol, id, { comment: 'x' }), illegalIn('rejected'));
    await assert.rejects(service.cancel(alice, id), illegalIn('rejected'));
    await assert.rejects(service.resubmit(alice, id, {}), illegalIn('rejected'));
    await assert.rejects(service.edit(alice, id, {}), illegalIn('rejected'));
  });

  test('request changes → resubmit by the requester → pending with a new revision and deadline', async () => {
    const { service: s, accounts, clock } = makeServices(ctx);
    void accounts;
    const id = await s.submit(alice, {
      accountIds: [DEV],
      justification: 'debug',
      durationHours: 1,
      spec: { type: 'policy', policy: READ_POLICY },
    });
    await s.requestChanges(bob, id, { comment: 'which prefix?' });
    assert.equal((await s.get(alice, id)).request.status, 'changes_requested');
    await assert.rejects(s.approve(bob, id), illegalIn('changes_requested'));
    await assert.rejects(s.edit(alice, id, {}), illegalIn('changes_requested'));
    await assert.rejects(s.resubmit(bob, id, {}), rejectsWith('NotRequester'));
    clock.advance(3_600_000);
    await s.resubmit(alice, id, {
      spec: { type: 'actions', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders/2026/*'] },
    });
    const d = await s.get(alice, id);
    assert.equal(d.request.status, 'pending');
    assert.equal(d.request.currentRevision, 2);
    assert.equal(d.revisions[1]?.source.type, 'actions');
    assert.equal(d.request.approvalDeadline?.toISOString(), '2026-05-02T10:00:00.000Z');
    await assert.rejects(s.resubmit(alice, id, {}), illegalIn('pending'));
  });

  test('cancel: only the requester, only before approval', async () => {
    const id = await submit(DEV);
    await assert.rejects(service.cancel(bob, id), rejectsWith('NotRequester'));
    await assert.rejects(service.cancel(eve, id), rejectsWith('NotFound'));
    await service.cancel(alice, id, { reason: 'not needed' });
    assert.equal((await service.get(alice, id)).request.status, 'cancelled');
    await assert.rejects(service.cancel(alice, id), illegalIn('cancelled'));
    const approved = await submit(PROD);
    await service.approve(bob, approved);
    await assert.rejects(service.cancel(alice, approved), illegalIn('approved'));
    await assert.rejects(service.approve(admin, approved), illegalIn('approved'));
  });

  test('comments: requester and approvers, any state; outsiders get NotFound', async () => {
    const id = await submit(DEV);
    await service.comment(alice, id, { body: 'urgent please' });
    await service.reject(bob, id, { reason: 'no' });
    await service.comment(carol, id, { body: 'agreed' });
    await assert.rejects(service.comment(eve, id, { body: 'hi' }), rejectsWith('NotFound'));
    await assert.rejects(
      service.comment(alice, id, { body: '' }),
      rejectsWith('InvalidInput', (d) => d.field === 'body'),
    );
    const d = await service.get(alice, id);
    assert.deepEqual(
      d.comments.map((c) => [c.authorId, c.body]),
      [
        [alice.id, 'urgent please'],
        [carol.id, 'agreed'],
      ],
    );
    assert.deepEqual(
      d.events.map((e) => e.type),
      ['submitted', 'commented', 'rejected', 'commented'],
    );
  });

  test('two approvers racing: one transition and one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await submit(DEV);
      const results = await Promise.allSettled([service.approve(bob, id), service.approve(carol, id)]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      assert.equal(ok.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(
        isBrokerError(lost[0], 'ConcurrentUpdate') || isBrokerError(lost[0], 'IllegalTransition'),
        String(lost[0]),
      );
      const d = await service.get(alice, id);
      assert.equal(d.request.status, 'approved');
      assert.equal(d.request.version, 2);
      assert.equal(d.approvals.length, 1);
      assert.equal(d.events.filter((e) => e.type === 'approved').length, 1);
    }
  });
});
