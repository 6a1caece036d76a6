// User administration and API tokens over a real socket: the role × ownership matrix, last-admin guard, token cap,
// Idempotency-Key replay.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { call, list, startTestServer, type TestServer } from './harness.ts';

const enc = encodeURIComponent;

forEachDialect('HTTP users and tokens', (ctx) => {
  let server: TestServer;
  let requester: SeededUser;
  let approver: SeededUser;
  let admin: SeededUser;
  before(async () => {
    server = await startTestServer(ctx.database, { env: { IAM_JIT_MAX_TOKENS_PER_USER: '3' } });
    requester = await seedUser(ctx.database, { id: 'email:req@x.com' });
    approver = await seedUser(ctx.database, { id: 'email:appr@x.com', roles: ['approver'] });
    admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
  });
  after(async () => server.close());

  test('admin user routes: 403 "admin role required" for requesters and approvers, 401 without credentials', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/api/v1/users', { user_id: 'email:new@x.com' }],
      ['GET', '/api/v1/users'],
      ['GET', `/api/v1/users/${enc('email:req@x.com')}`],
      ['PATCH', `/api/v1/users/${enc('email:req@x.com')}`, { display_name: 'R' }],
      ['DELETE', `/api/v1/users/${enc('email:req@x.com')}`],
    ];
    for (const [method, path, body] of routes) {
      for (const who of [requester, approver]) {
        const r = await call(server, method, path, { token: who.token, body });
        assert.equal(r.status, 403, `${method} ${path} as ${who.user.id}`);
        assert.deepEqual(r.body, { error: { code: 'Forbidden', message: 'admin role required' } });
      }
      const anon = await call(server, method, path, { body });
      assert.equal(anon.status, 401);
      assert.equal(anon.headers.get('www-authenticate'), 'Bearer');
    }
    assert.equal((await call(server, 'GET', '/api/v1/users', { token: admin.token })).status, 200);
  });

  test('admin CRUD: create, get, list with cursor, patch, delete; duplicates and unknown ids', async () => {
    const created = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'email:Carol@X.com', roles: ['approver'], display_name: 'Carol' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.user_id, 'email:carol@x.com');
    assert.deepEqual(created.body.roles, ['approver']);
    const dup = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'email:carol@x.com' },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error?.code, 'UserExists');
    const bad = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'carol' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'InvalidInput');
    const unknownField = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'email:z@x.com', admin: true },
    });
    assert.equal(unknownField.status, 400);
    const iam = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'iam:arn:aws:sts::111122223333:assumed-role/Devops/alice' },
    });
    assert.equal(iam.body.user_id, 'iam:arn:aws:iam::111122223333:role/Devops');
    // Ids with "/" travel URL-encoded as one path segment.
    const iamPath = `/api/v1/users/${enc('iam:arn:aws:iam::111122223333:role/Devops')}`;
    assert.equal((await call(server, 'GET', iamPath, { token: admin.token })).body.user_id, iam.body.user_id);
    assert.equal(
      (await call(server, 'PATCH', iamPath, { token: admin.token, body: { enabled: false } })).body.enabled,
      false,
    );
    assert.equal((await call(server, 'DELETE', iamPath, { token: admin.token })).status, 204);

    const got = await call(server, 'GET', `/api/v1/users/${enc('email:carol@x.com')}`, {
      token: admin.token,
    });
    assert.equal(got.body.display_name, 'Carol');
    const missing = await call(server, 'GET', `/api/v1/users/${enc('email:nobody@x.com')}`, {
      token: admin.token,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'NotFound');

    const page1 = await call(server, 'GET', '/api/v1/users?limit=2', { token: admin.token });
    assert.equal(list(page1.body.users).length, 2);
    assert.equal(typeof page1.body.next_cursor, 'string');
    const page2 = await call(
      server,
      'GET',
      `/api/v1/users?limit=100&after=${enc(String(page1.body.next_cursor))}`,
      {
        token: admin.token,
      },
    );
    const ids = [...list(page1.body.users), ...list(page2.body.users)].map((u) => String(u.user_id));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes('email:carol@x.com') && ids.includes('email:req@x.com'));
    assert.equal(page2.body.next_cursor, null);
    const approvers = await call(server, 'GET', '/api/v1/users?role=approver', { token: admin.token });
    assert.deepEqual(
      list(approvers.body.users)
        .map((u) => String(u.user_id))
        .sort(),
      ['email:appr@x.com', 'email:carol@x.com'],
    );

    const patched = await call(server, 'PATCH', `/api/v1/users/${enc('email:carol@x.com')}`, {
      token: admin.token,
      body: { roles: ['requester', 'admin'], enabled: false },
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.roles, ['requester', 'admin']);
    assert.equal(patched.body.enabled, false);
    const del = await call(server, 'DELETE', `/api/v1/users/${enc('email:carol@x.com')}`, {
      token: admin.token,
    });
    assert.equal(del.status, 204);
    assert.equal(
      (await call(server, 'DELETE', `/api/v1/users/${enc('email:carol@x.com')}`, { token: admin.token }))
        .status,
      404,
    );
  });

  test('the last enabled admin cannot be demoted, disabled or deleted (409 LastAdmin)', async () => {
    const path = `/api/v1/users/${enc('email:admin@x.com')}`;
    for (const body of [{ roles: ['requester'] }, { enabled: false }]) {
      const r = await call(server, 'PATCH', path, { token: admin.token, body });
      assert.equal(r.status, 409);
      assert.equal(r.body.error?.code, 'LastAdmin');
    }
    const del = await call(server, 'DELETE', path, { token: admin.token });
    assert.equal(del.status, 409);
    assert.equal(del.body.error?.code, 'LastAdmin');
    assert.equal(
      (await call(server, 'GET', '/api/v1/users/me', { token: admin.token })).body.roles?.[0],
      'admin',
    );
  });

  test('tokens: create returns iamjit_… once and it works; list shows hashes; cap from IAM_JIT_MAX_TOKENS_PER_USER', async () => {
    const created = await call(server, 'POST', '/api/v1/tokens', {
      token: approver.token,
      body: { label: 'ci' },
    });
    assert.equal(created.status, 201);
    assert.match(String(created.body.token), /^iamjit_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.label, 'ci');
    const me = await call(server, 'GET', '/api/v1/users/me', { token: String(created.body.token) });
    assert.equal(me.body.user_id, 'email:appr@x.com');
    assert.deepEqual(me.body.roles, ['approver']);
    const listed = await call(server, 'GET', '/api/v1/tokens', { token: approver.token });
    const tokens = list(listed.body.tokens);
    assert.equal(tokens.length, 2); // the fixture's and this one
    assert.ok(tokens.some((t) => t.token_hash === created.body.token_hash && String(t.label) === 'ci'));
    assert.ok(tokens.every((t) => t.token === undefined));
    const noBody = await call(server, 'POST', '/api/v1/tokens', { token: approver.token });
    assert.equal(noBody.status, 201);
    assert.equal(noBody.body.label, null);
    const capped = await call(server, 'POST', '/api/v1/tokens', { token: approver.token, body: {} });
    assert.equal(capped.status, 409);
    assert.equal(capped.body.error?.code, 'TokenLimitReached');
    assert.deepEqual(capped.body.error?.details, { limit: 3 });
  });

  test("tokens: ownership — others' tokens are 404 to non-admins, admins may list and revoke any", async () => {
    const mine = await call(server, 'POST', '/api/v1/tokens', {
      token: requester.token,
      body: { label: 'mine' },
    });
    const hash = String(mine.body.token_hash);
    const stranger = await call(server, 'DELETE', `/api/v1/tokens/${hash}`, { token: approver.token });
    assert.equal(stranger.status, 404);
    const peek = await call(server, 'GET', `/api/v1/tokens?user_id=${enc('email:req@x.com')}`, {
      token: approver.token,
    });
    assert.equal(peek.status, 403);
    assert.equal(peek.body.error?.message, 'admin role required');
    const adminList = await call(server, 'GET', `/api/v1/tokens?user_id=${enc('email:req@x.com')}`, {
      token: admin.token,
    });
    assert.ok(list(adminList.body.tokens).some((t) => String(t.token_hash) === hash));
    assert.equal(
      (await call(server, 'DELETE', `/api/v1/tokens/${hash}`, { token: admin.token })).status,
      204,
    );
    const gone = await call(server, 'GET', '/api/v1/users/me', { token: String(mine.body.token) });
    assert.equal(gone.status, 401);
    assert.equal(gone.body.error?.message, 'bearer token not found');
    const own = await call(server, 'POST', '/api/v1/tokens', { token: requester.token, body: {} });
    assert.equal(
      (await call(server, 'DELETE', `/api/v1/tokens/${own.body.token_hash}`, { token: requester.token }))
        .status,
      204,
    );
    assert.equal(
      (await call(server, 'DELETE', '/api/v1/tokens/not-a-hash', { token: requester.token })).status,
      404,
    );
  });

  test('Idempotency-Key: a retried POST replays the first response; another body with the key is 422', async () => {
    const headers = { 'idempotency-key': 'create-token-1' };
    const first = await call(server, 'POST', '/api/v1/tokens', {
      token: admin.token,
      body: { label: 'once' },
      headers,
    });
    assert.equal(first.status, 201);
    const again = await call(server, 'POST', '/api/v1/tokens', {
      token: admin.token,
      body: { label: 'once' },
      headers,
    });
    assert.equal(again.status, 201);
    assert.equal(again.body.token, first.body.token);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const listed = await call(server, 'GET', '/api/v1/tokens', { token: admin.token });
    assert.equal(list(listed.body.tokens).filter((t) => String(t.label) === 'once').length, 1);
    const other = await call(server, 'POST', '/api/v1/tokens', {
      token: admin.token,
      body: { label: 'twice' },
      headers,
    });
    assert.equal(other.status, 422);
    assert.equal(other.body.error?.code, 'IdempotencyKeyReused');
    // Keys are per user: another user's identical key is a new request.
    const theirs = await call(server, 'POST', '/api/v1/tokens', {
      token: requester.token,
      body: { label: 'once' },
      headers,
    });
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.token, first.body.token);
    const badKey = await call(server, 'POST', '/api/v1/tokens', {
      token: admin.token,
      body: {},
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    assert.equal(badKey.status, 400);
  });
});
