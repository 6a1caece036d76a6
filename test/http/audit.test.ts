// GET /api/v1/audit over a real socket: admin only, filters, keyset pages that stay stable, bad input.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { call, list, startTestServer, type TestServer } from './harness.ts';

forEachDialect('HTTP audit log', (ctx) => {
  let server: TestServer;
  let admin: SeededUser;
  let requester: SeededUser;
  before(async () => {
    server = await startTestServer(ctx.database);
    admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    requester = await seedUser(ctx.database, { id: 'email:req@x.com' });
    for (const id of ['111122223333', '444455556666', '777788889999'])
      assert.equal(
        (
          await call(server, 'POST', '/api/v1/accounts', {
            token: admin.token,
            body: { id, name: `acct ${id}`, environment: 'nonprod' },
          })
        ).status,
        201,
      );
  });
  after(async () => server.close());

  test('admins read the chain in seq order, in pages; filters narrow it', async () => {
    // Seeding two users wrote their user.created, token.minted and auth.login rows first.
    const all = await call(server, 'GET', '/api/v1/audit', { token: admin.token });
    assert.deepEqual(
      list(all.body.events).map((e) => [Number(e.seq), String(e.action)]),
      [
        [1, 'user.created'],
        [2, 'token.minted'],
        [3, 'auth.login'],
        [4, 'user.created'],
        [5, 'token.minted'],
        [6, 'auth.login'],
        [7, 'account.created'],
        [8, 'account.created'],
        [9, 'account.created'],
      ],
    );
    const first = await call(server, 'GET', '/api/v1/audit?limit=2&action=account.created', {
      token: admin.token,
    });
    assert.equal(first.status, 200, first.text);
    const events = list(first.body.events);
    assert.deepEqual(
      events.map((e) => [Number(e.seq), String(e.action), String(e.actor)]),
      [
        [7, 'account.created', admin.user.id],
        [8, 'account.created', admin.user.id],
      ],
    );
    assert.match(String(events[1]?.prev_hash), /^[0-9a-f]{64}$/);
    assert.equal(String(events[1]?.prev_hash), String(events[0]?.hash));
    const cursor = String(first.body.next_cursor);
    const second = await call(server, 'GET', `/api/v1/audit?limit=2&action=account.created&after=${cursor}`, {
      token: admin.token,
    });
    assert.deepEqual(
      list(second.body.events).map((e) => [Number(e.seq), String(e.subject)]),
      [[9, '777788889999']],
    );
    assert.equal(second.body.next_cursor, null);
    const one = await call(server, 'GET', '/api/v1/audit?subject=444455556666', { token: admin.token });
    assert.deepEqual(
      list(one.body.events).map((e) => Number(e.seq)),
      [8],
    );
  });

  test('non-admins get 403 "admin role required"; bad cursors and dates are 400', async () => {
    const denied = await call(server, 'GET', '/api/v1/audit', { token: requester.token });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { error: { code: 'Forbidden', message: 'admin role required' } });
    const badCursor = await call(server, 'GET', '/api/v1/audit?after=nope', { token: admin.token });
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.body.error?.message, 'invalid audit cursor');
    const badDate = await call(server, 'GET', '/api/v1/audit?since=yesterday', { token: admin.token });
    assert.equal(badDate.status, 400);
    assert.match(String(badDate.body.error?.message), /since/);
  });
});
