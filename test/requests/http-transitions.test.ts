// The request lifecycle over a real socket on both dialects: happy paths, every illegal transition, the role ×
// ownership matrix, lists and pending, and two approvers racing.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { canTransition, type RequestAction } from '../../src/requests/request-state.ts';
import { call, list, type TestServer } from '../http/harness.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { startRequestServer } from './http-harness.ts';

const PROD = '111122223333';
const Q2 = '777788889999';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }],
};

forEachDialect('HTTP request lifecycle', (ctx) => {
  let server: TestServer;
  const u: Record<'alice' | 'eve' | 'bob' | 'carol' | 'dave' | 'admin', SeededUser> = {} as never;
  before(async () => {
    server = await startRequestServer(ctx.database);
  });
  beforeEach(async () => {
    await ctx.reset();
    u.alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    u.eve = await seedUser(ctx.database, { id: 'email:eve@x.com' });
    u.bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    u.carol = await seedUser(ctx.database, { id: 'email:carol@x.com', roles: ['requester', 'approver'] });
    u.dave = await seedUser(ctx.database, { id: 'email:dave@x.com', roles: ['approver'] });
    u.admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    for (const body of [
      { id: PROD, name: 'Prod', environment: 'prod', approvers: [u.bob.user.id, u.carol.user.id] },
      {
        id: Q2,
        name: 'Pay',
        environment: 'prod',
        approvers: [u.bob.user.id, u.carol.user.id],
        required_approvals: 2,
      },
    ])
      assert.equal(
        (await call(server, 'POST', '/api/v1/accounts', { token: u.admin.token, body })).status,
        201,
      );
  });
  after(() => server.close());

  async function submit(who: SeededUser = u.alice, account = PROD): Promise<string> {
    const r = await call(server, 'POST', '/api/v1/requests', {
      token: who.token,
      body: { account_ids: [account], policy: POLICY, justification: 'debug', duration_hours: 1 },
    });
    assert.equal(r.status, 201, r.text);
    return String(r.body.request?.id);
  }
  const post = (who: SeededUser, id: string, action: string, body?: unknown) =>
    call(server, 'POST', `/api/v1/requests/${id}/${action}`, { token: who.token, body });

  test('approve → approved; reject; request changes → resubmit; cancel; comment; edit', async () => {
    const a = await submit();
    const approved = await post(u.bob, a, 'approve', { comment: 'lgtm' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.request?.status, 'approved');
    assert.deepEqual(
      list(approved.body.approvals).map((x) => x.reviewer_id),
      [u.bob.user.id],
    );

    const r = await submit();
    const rejected = await post(u.carol, r, 'reject', { reason: 'too broad' });
    assert.equal(rejected.body.request?.status, 'rejected');
    assert.equal(list(rejected.body.reviews)[0]?.comment, 'too broad');
    assert.equal((await post(u.carol, await submit(), 'reject', {})).status, 400);

    const c = await submit();
    assert.equal(
      (await post(u.bob, c, 'request-changes', { comment: 'narrow it' })).body.request?.status,
      'changes_requested',
    );
    const resubmitted = await post(u.alice, c, 'resubmit', {
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::orders/2026/*'],
    });
    assert.equal(resubmitted.status, 200, resubmitted.text);
    assert.equal(resubmitted.body.request?.status, 'pending');
    assert.equal(resubmitted.body.request?.current_revision, 2);

    const x = await submit();
    assert.equal(
      (await post(u.alice, x, 'cancel', { reason: 'no longer needed' })).body.request?.status,
      'cancelled',
    );
    assert.equal((await post(u.alice, await submit(), 'cancel')).status, 200);

    const comment = await post(u.bob, x, 'comments', { body: 'noted' });
    assert.equal(comment.status, 201);
    assert.equal(comment.body.author_id, u.bob.user.id);

    const q = await submit(u.alice, Q2);
    await post(u.bob, q, 'approve');
    const edited = await call(server, 'PATCH', `/api/v1/requests/${q}`, {
      token: u.carol.token,
      body: { duration_hours: 0.5, comment: 'half an hour is enough' },
    });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.body.request?.current_revision, 2);
    assert.deepEqual(edited.body.approvals, []);
    assert.equal(list(edited.body.events).at(-1)?.type, 'edited');
  });

  test('every illegal transition answers 409 IllegalTransition with the current status', async () => {
    const inStatus = {
      pending: async () => submit(),
      approved: async () => {
        const id = await submit();
        await post(u.bob, id, 'approve');
        return id;
      },
      rejected: async () => {
        const id = await submit();
        await post(u.bob, id, 'reject', { reason: 'no' });
        return id;
      },
      changes_requested: async () => {
        const id = await submit();
        await post(u.bob, id, 'request-changes', { comment: 'why' });
        return id;
      },
      cancelled: async () => {
        const id = await submit();
        await post(u.alice, id, 'cancel');
        return id;
      },
    } as const;
    const actions: [RequestAction, (id: string) => ReturnType<typeof call>][] = [
      ['approve', (id) => post(u.carol, id, 'approve')],
      ['reject', (id) => post(u.carol, id, 'reject', { reason: 'r' })],
      ['request_changes', (id) => post(u.carol, id, 'request-changes', { comment: 'c' })],
      ['cancel', (id) => post(u.alice, id, 'cancel')],
      ['resubmit', (id) => post(u.alice, id, 'resubmit', {})],
      ['edit', (id) => call(server, 'PATCH', `/api/v1/requests/${id}`, { token: u.alice.token, body: {} })],
    ];
    let checked = 0;
    for (const [status, make] of Object.entries(inStatus)) {
      for (const [action, run] of actions) {
        if (canTransition(status as keyof typeof inStatus, action)) continue;
        const r = await run(await make());
        assert.equal(r.status, 409, `${action} in ${status}: ${r.text}`);
        assert.equal(r.body.error?.code, 'IllegalTransition');
        assert.equal(r.body.error?.details?.status, status);
        checked++;
      }
    }
    assert.equal(checked, 23); // 5 statuses × 6 actions, minus the 7 legal pairs
  });

  test('role × ownership: 404 for requests one may not see, 403 for the wrong role or the requester', async () => {
    const id = await submit();
    const get = (who: SeededUser) => call(server, 'GET', `/api/v1/requests/${id}`, { token: who.token });
    assert.equal((await get(u.alice)).status, 200);
    assert.equal((await get(u.bob)).status, 200);
    assert.equal((await get(u.admin)).status, 200);
    for (const who of [u.eve, u.dave]) {
      const r = await get(who);
      assert.equal(r.status, 404);
      assert.equal(r.body.error?.code, 'NotFound');
    }
    const approveAs = async (who: SeededUser) => (await post(who, id, 'approve')).body.error;
    assert.equal((await approveAs(u.eve))?.message, 'approver role required');
    assert.equal((await approveAs(u.dave))?.code, 'NotFound');
    assert.equal((await post(u.eve, id, 'cancel')).status, 404);
    assert.equal((await post(u.bob, id, 'cancel')).body.error?.code, 'NotRequester');
    assert.equal((await post(u.eve, id, 'comments', { body: 'x' })).status, 404);
    assert.equal((await post(u.bob, id, 'resubmit', {})).status, 403);
    const own = await submit(u.bob);
    const self = await post(u.bob, own, 'approve');
    assert.equal(self.status, 403);
    assert.equal(self.body.error?.code, 'SelfApproval');
    const adminOwn = await submit(u.admin);
    assert.equal((await post(u.admin, adminOwn, 'approve')).body.error?.code, 'SelfApproval');
    assert.equal((await post(u.admin, id, 'approve')).status, 200);
    const twice = await submit(u.alice, Q2);
    await post(u.bob, twice, 'approve');
    assert.equal((await post(u.bob, twice, 'approve')).body.error?.code, 'AlreadyReviewed');
  });

  test('lists: mine by default, mine=false by role, filters, cursor; pending for approvers only', async () => {
    const a1 = await submit(u.alice);
    const e1 = await submit(u.eve, Q2);
    const b1 = await submit(u.bob);
    await post(u.carol, a1, 'approve');
    const ids = async (who: SeededUser, query = '') =>
      list((await call(server, 'GET', `/api/v1/requests${query}`, { token: who.token })).body.requests).map(
        (r) => r.id,
      );
    assert.deepEqual(await ids(u.alice), [a1]);
    assert.deepEqual(await ids(u.alice, '?mine=false'), [a1]);
    assert.deepEqual((await ids(u.carol, '?mine=false')).sort(), [a1, e1, b1].sort());
    assert.deepEqual(await ids(u.dave, '?mine=false'), []);
    assert.deepEqual(await ids(u.admin, '?mine=false&status=approved'), [a1]);
    assert.deepEqual(await ids(u.admin, `?mine=false&account_id=${Q2}`), [e1]);
    assert.equal(
      (await call(server, 'GET', '/api/v1/requests?status=done', { token: u.alice.token })).status,
      400,
    );
    const first = await call(server, 'GET', '/api/v1/requests?mine=false&limit=2', { token: u.admin.token });
    assert.equal(list(first.body.requests).length, 2);
    const next = await call(
      server,
      'GET',
      `/api/v1/requests?mine=false&limit=2&cursor=${first.body.next_cursor}`,
      {
        token: u.admin.token,
      },
    );
    assert.equal(list(next.body.requests).length, 1);
    assert.equal(next.body.next_cursor, null);
    const pending = async (who: SeededUser) =>
      call(server, 'GET', '/api/v1/requests/pending', { token: who.token });
    assert.deepEqual(
      list((await pending(u.bob)).body.requests).map((r) => r.id),
      [e1],
    );
    assert.deepEqual(
      list((await pending(u.carol)).body.requests)
        .map((r) => r.id)
        .sort(),
      [e1, b1].sort(),
    );
    assert.equal((await pending(u.alice)).status, 403);
  });

  test('two approvers racing: one 200 and one 409, one approval recorded', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await submit();
      const results = await Promise.all([post(u.bob, id, 'approve'), post(u.carol, id, 'approve')]);
      assert.deepEqual(
        results.map((r) => r.status).sort(),
        [200, 409],
        results.map((r) => r.text).join('\n'),
      );
      const loser = results.find((r) => r.status === 409);
      assert.ok(['ConcurrentUpdate', 'IllegalTransition'].includes(String(loser?.body.error?.code)));
      const d = await call(server, 'GET', `/api/v1/requests/${id}`, { token: u.alice.token });
      assert.equal(d.body.request?.status, 'approved');
      assert.equal(list(d.body.approvals).length, 1);
      assert.equal(list(d.body.events).filter((e) => String(e.type) === 'approved').length, 1);
    }
  });
});
