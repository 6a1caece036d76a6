// The dispatcher over the real store on both dialects: who a notice goes to, idempotent re-runs, the notice
// snapshot, and the 15-minute grant reminder that only fires for a grant still active with that end.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { Grant } from '../../src/grants/grant.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { type DispatchDeps, dispatchAuditEvent, dispatchGrantExpiring } from '../../src/notify/dispatch.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createGrantRepo } from '../../src/store/grants-repo.ts';
import { createNotifyStore } from '../../src/store/notifications-store.ts';
import { alice, bob, makeServices, PROD, READ_POLICY, seedAccounts } from '../requests/fixtures.ts';
import { forEachDialect } from '../support/dialects.ts';

forEachDialect('notification dispatch', (ctx) => {
  let services: ReturnType<typeof makeServices>;
  let deps: DispatchDeps;

  beforeEach(async () => {
    await ctx.reset();
    services = makeServices(ctx);
    await seedAccounts(services.accounts);
    const store = createNotifyStore(ctx.database, { clock: services.clock });
    deps = {
      sources: store.sources,
      subscriptions: store.subscriptions,
      bindings: store.bindings,
      transaction: store.transaction,
      clock: services.clock,
      baseUrl: 'https://jit.example.com/',
      mailEnabled: true,
    };
    const now = services.clock.now();
    await store.subscriptions.insert(
      {
        id: 'whk_all',
        url: 'https://hooks.example.com/all',
        events: ['*'],
        description: '',
        enabled: true,
        createdBy: 'email:admin@x.com',
        createdAt: now,
        updatedAt: now,
      },
      'v1.x',
    );
  });

  const submit = () =>
    services.service.submit(alice, {
      accountIds: [PROD],
      justification: 'debug orders',
      durationHours: 1,
      spec: { type: 'policy', policy: READ_POLICY },
    });
  const seqOf = async (subject: string, action: string) => {
    const events = await createAuditReader(ctx.database.db).list({ subject, action }, 0, 10);
    const seq = events[0]?.seq;
    assert.ok(seq !== undefined, `${action} of ${subject}`);
    return seq;
  };
  const deliveries = () =>
    ctx.database.db
      .selectFrom('notification_deliveries')
      .select(['event_id', 'event_type', 'target', 'channel'])
      .orderBy('event_id')
      .orderBy('target')
      .execute();
  const deliverJobs = async () =>
    (await ctx.database.db.selectFrom('jobs').select('id').where('type', '=', 'notify.deliver').execute())
      .length;

  test('a submission goes to subscriptions and the approvers; re-running the dispatch adds nothing', async () => {
    const id = await submit();
    const seq = await seqOf(id, 'request.submitted');
    const notice = await dispatchAuditEvent(deps, seq);
    assert.ok(notice);
    assert.equal(notice.id, `evt_${seq}`);
    assert.equal(notice.link, `https://jit.example.com/requests/${id}`);
    assert.deepEqual(notice.request.requester, { id: alice.id, email: 'alice@x.com' });
    assert.deepEqual(notice.request.accounts, [{ id: PROD, name: 'Prod' }]);
    assert.equal(notice.request.status, 'pending');
    assert.ok(notice.request.risk.score >= 1 && notice.request.risk.topFactors.length <= 3);
    const sorted = [...notice.request.risk.topFactors].sort((a, b) => b.points - a.points);
    assert.deepEqual(notice.request.risk.topFactors, sorted);
    const first = await deliveries();
    assert.deepEqual(
      first.map((d) => [d.event_id, d.target, d.channel]),
      [
        [`evt_${seq}`, 'email:bob@x.com', 'email'],
        [`evt_${seq}`, 'sub:whk_all', 'webhook'],
      ],
    );
    assert.equal(await deliverJobs(), 2);
    await dispatchAuditEvent(deps, seq);
    assert.deepEqual(await deliveries(), first);
    assert.equal(await deliverJobs(), 2);
  });

  test('an approval goes to the requester, never to the approver who acted; comments carry their text', async () => {
    const id = await submit();
    await services.service.approve(bob, id, { comment: 'ok for today' });
    const notice = await dispatchAuditEvent(deps, await seqOf(id, 'request.approved'));
    assert.equal(notice?.type, 'request.approved');
    assert.equal(notice?.message, 'ok for today');
    assert.deepEqual(notice?.actor, { id: bob.id, email: 'bob@x.com' });
    const approvedTargets = (await deliveries())
      .filter((d) => d.event_type === 'request.approved')
      .map((d) => d.target);
    assert.deepEqual(approvedTargets, ['email:alice@x.com', 'sub:whk_all']);
    await services.service.comment(alice, id, { body: 'thanks!' });
    const comment = await dispatchAuditEvent(deps, await seqOf(id, 'request.commented'));
    assert.equal(comment?.message, 'thanks!');
    const commentTargets = (await deliveries())
      .filter((d) => d.event_type === 'request.commented')
      .map((d) => d.target);
    assert.deepEqual(commentTargets, ['email:bob@x.com', 'sub:whk_all']);
  });

  test('the expiring reminder fires only while the grant is active with that not_after', async () => {
    const id = await submit();
    const now = services.clock.now();
    const grant: Grant = {
      id: 'grt_00000000000000000000000001',
      requestId: id,
      accountId: PROD,
      requesterId: alice.id,
      approverIds: [bob.id],
      revision: 1,
      mode: 'iam_role',
      status: 'active',
      policy: READ_POLICY,
      notBefore: now,
      notAfter: new Date(now.getTime() + HOUR),
      roleName: 'iam-jit-grt_1',
      roleArn: `arn:aws:iam::${PROD}:role/iam-jit/iam-jit-grt_1`,
      activatedAt: now,
      endedAt: null,
      endReason: null,
      revokedBy: null,
      revokeReason: null,
      version: 2,
      createdAt: now,
      updatedAt: now,
    };
    await createGrantRepo(ctx.database.db).insert(grant);
    services.clock.advance(45 * MINUTE);
    assert.equal(
      await dispatchGrantExpiring(deps, grant.id, new Date(grant.notAfter.getTime() + HOUR)),
      undefined,
    );
    const notice = await dispatchGrantExpiring(deps, grant.id, grant.notAfter);
    const unix = grant.notAfter.getTime() / 1000;
    assert.equal(notice?.id, `evt_${grant.id}_expiring_${unix}`);
    assert.equal(notice?.type, 'grant.expiring');
    assert.deepEqual(notice?.grant, {
      id: grant.id,
      accountId: PROD,
      status: 'active',
      notBefore: grant.notBefore.toISOString(),
      notAfter: grant.notAfter.toISOString(),
    });
    assert.deepEqual(
      (await deliveries()).filter((d) => d.event_type === 'grant.expiring').map((d) => d.target),
      ['email:alice@x.com', 'sub:whk_all'],
    );
    await ctx.database.db
      .updateTable('grants')
      .set({ status: 'revoked' })
      .where('id', '=', grant.id)
      .execute();
    await ctx.database.db.deleteFrom('notification_deliveries').execute();
    assert.equal(await dispatchGrantExpiring(deps, grant.id, grant.notAfter), undefined);
    assert.deepEqual(await deliveries(), []);
  });
});
