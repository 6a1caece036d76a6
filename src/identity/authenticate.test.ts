import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { seedUser } from '../../test/support/identity-fixtures.ts';
import { identityStoreFor } from '../../test/support/stores.ts';
import { createFakeClock, HOUR, MINUTE } from '../lib/clock.ts';
import { isBrokerError } from '../lib/errors.ts';
import { hashSecret } from './api-token.ts';
import { createApiTokenService } from './api-token-service.ts';
import { type Authenticator, createAuthenticator, requireRole } from './authenticate.ts';
import { createLoginService, type LoginService } from './login-service.ts';
import { createUserService, type UserService } from './user-service.ts';

forEachDialect('authentication and API tokens', (ctx) => {
  let clock: ReturnType<typeof createFakeClock>;
  let users: UserService;
  let tokens: ReturnType<typeof createApiTokenService>;
  let login: LoginService;
  let auth: Authenticator;
  beforeEach(async () => {
    await ctx.reset();
    clock = createFakeClock('2026-05-01T09:00:00.000Z');
    const store = identityStoreFor(ctx);
    users = createUserService({ users: store.users, transaction: store.transaction, clock });
    tokens = createApiTokenService({
      tokens: store.tokens,
      transaction: store.transaction,
      clock,
      maxTokensPerUser: 3,
    });
    login = createLoginService({
      magicLinks: store.magicLinks,
      sessions: store.sessions,
      transaction: store.transaction,
      clock,
    });
    auth = createAuthenticator({ users: store.users, tokens: store.tokens, sessions: store.sessions, clock });
    await users.create({ id: 'email:alice@x.com', roles: ['requester'] });
  });

  test('a token is returned once in the iamjit_ format and stored only as its SHA-256', async () => {
    const { token, record } = await tokens.create('email:alice@x.com', { label: ' laptop ' });
    assert.match(token, /^iamjit_[A-Za-z0-9_-]{43}$/);
    assert.equal(record.tokenHash, hashSecret(token));
    assert.equal(record.label, 'laptop');
    const rows = await ctx.database.db.selectFrom('api_tokens').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(token.slice(7)), 'the token text must not be stored');
    assert.deepEqual(await tokens.list('email:alice@x.com'), [record]);
  });

  test('a valid bearer token authenticates and records last use at most once a minute', async () => {
    const { token, record } = await tokens.create('email:alice@x.com');
    const r = await auth.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(r.ok);
    assert.equal(r.value.user.id, 'email:alice@x.com');
    assert.equal(r.value.method, 'api_token');
    assert.equal(r.value.credentialId, record.tokenHash);
    assert.equal(
      (await tokens.list('email:alice@x.com'))[0]?.lastUsedAt?.toISOString(),
      '2026-05-01T09:00:00.000Z',
    );
    clock.advance(30_000);
    await auth.authenticate({ authorization: `Bearer ${token}` });
    assert.equal(
      (await tokens.list('email:alice@x.com'))[0]?.lastUsedAt?.toISOString(),
      '2026-05-01T09:00:00.000Z',
    );
    clock.advance(MINUTE);
    await auth.authenticate({ authorization: `bearer ${token}` });
    assert.equal(
      (await tokens.list('email:alice@x.com'))[0]?.lastUsedAt?.toISOString(),
      '2026-05-01T09:01:30.000Z',
    );
  });

  test('401 texts: nothing, malformed header, unknown token', async () => {
    assert.deepEqual(await auth.authenticate({}), {
      ok: false,
      error: { status: 401, message: 'not authenticated' },
    });
    for (const authorization of [
      'Basic abc',
      'Bearer',
      'Bearer abc',
      'Bearer iamjit_short',
      `Token iamjit_${'a'.repeat(43)}`,
    ])
      assert.deepEqual(
        await auth.authenticate({ authorization }),
        { ok: false, error: { status: 401, message: 'invalid bearer token format' } },
        authorization,
      );
    assert.deepEqual(await auth.authenticate({ authorization: `Bearer iamjit_${'a'.repeat(43)}` }), {
      ok: false,
      error: { status: 401, message: 'bearer token not found' },
    });
  });

  test('a disabled user is refused at once; re-enabling restores the token; deleting the user ends it', async () => {
    const { token } = await tokens.create('email:alice@x.com');
    await users.create({ id: 'email:root@x.com', roles: ['admin'] });
    await users.update('email:alice@x.com', { enabled: false });
    assert.deepEqual(await auth.authenticate({ authorization: `Bearer ${token}` }), {
      ok: false,
      error: { status: 403, message: 'user is disabled' },
    });
    await users.update('email:alice@x.com', { enabled: true });
    assert.ok((await auth.authenticate({ authorization: `Bearer ${token}` })).ok);
    await users.remove('email:alice@x.com');
    assert.deepEqual(await auth.authenticate({ authorization: `Bearer ${token}` }), {
      ok: false,
      error: { status: 401, message: 'bearer token not found' },
    });
  });

  test('role checks: "<role> role required"; admins hold every role', async () => {
    const { token } = await tokens.create('email:alice@x.com');
    const r = await auth.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(r.ok);
    assert.ok(requireRole(r.value, 'requester').ok);
    assert.deepEqual(requireRole(r.value, 'approver'), {
      ok: false,
      error: { status: 403, message: 'approver role required' },
    });
    assert.deepEqual(requireRole(r.value, 'admin'), {
      ok: false,
      error: { status: 403, message: 'admin role required' },
    });
    await users.update('email:alice@x.com', { roles: ['admin'] });
    const again = await auth.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(again.ok && requireRole(again.value, 'approver').ok);
  });

  test('per-user cap, labels validated, revoke only own tokens unless admin', async () => {
    await users.create({ id: 'email:bob@x.com' });
    const a = await tokens.create('email:alice@x.com');
    await tokens.create('email:alice@x.com');
    await tokens.create('email:alice@x.com');
    await assert.rejects(tokens.create('email:alice@x.com'), (e) => isBrokerError(e, 'TokenLimitReached'));
    await assert.rejects(tokens.create('email:bob@x.com', { label: 'x'.repeat(101) }), (e) =>
      isBrokerError(e, 'InvalidInput'),
    );
    await assert.rejects(tokens.revoke(a.record.tokenHash, { ownerId: 'email:bob@x.com' }), (e) =>
      isBrokerError(e, 'NotFound'),
    );
    await tokens.revoke(a.record.tokenHash, { ownerId: 'email:alice@x.com' });
    assert.deepEqual(await auth.authenticate({ authorization: `Bearer ${a.token}` }), {
      ok: false,
      error: { status: 401, message: 'bearer token not found' },
    });
    await assert.rejects(tokens.revoke(a.record.tokenHash), (e) => isBrokerError(e, 'NotFound'));
    await assert.rejects(tokens.revoke('not-a-hash'), (e) => isBrokerError(e, 'NotFound'));
    assert.equal((await tokens.list('email:alice@x.com')).length, 2);
    await tokens.create('email:alice@x.com');
  });

  test('the per-user cap holds under concurrent creation', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => tokens.create('email:alice@x.com')),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    for (const r of results)
      if (r.status === 'rejected') assert.ok(isBrokerError(r.reason, 'TokenLimitReached'), String(r.reason));
    assert.equal((await tokens.list('email:alice@x.com')).length, 3);
  });

  test('sessions: accepted until 24 h, refused after logout or expiry; a bearer header wins over a cookie', async () => {
    const alice = await users.get('email:alice@x.com');
    assert.ok(alice);
    const s = await login.openSession(alice);
    assert.equal(s.expiresAt.toISOString(), '2026-05-02T09:00:00.000Z');
    const r = await auth.authenticate({ sessionToken: s.token });
    assert.ok(r.ok && r.value.method === 'session' && r.value.user.id === 'email:alice@x.com');
    assert.deepEqual(await auth.authenticate({ sessionToken: s.token, authorization: 'Bearer nope' }), {
      ok: false,
      error: { status: 401, message: 'invalid bearer token format' },
    });
    clock.advance(24 * HOUR - 1);
    assert.ok((await auth.authenticate({ sessionToken: s.token })).ok);
    clock.advance(1);
    assert.deepEqual(await auth.authenticate({ sessionToken: s.token }), {
      ok: false,
      error: { status: 401, message: 'not authenticated' },
    });
    const s2 = await login.openSession(alice);
    assert.equal(await login.logout(s2.token), true);
    assert.equal(await login.logout(s2.token), false);
    assert.deepEqual(await auth.authenticate({ sessionToken: s2.token }), {
      ok: false,
      error: { status: 401, message: 'not authenticated' },
    });
    assert.deepEqual(await auth.authenticate({ sessionToken: 'made-up' }), {
      ok: false,
      error: { status: 401, message: 'not authenticated' },
    });
  });

  test('aws_iam principals: assumed-role ARNs map to the registered role; unknown or disabled are refused', async () => {
    await users.create({ id: 'iam:arn:aws:iam::111122223333:role/Devops' });
    const r = await auth.authenticateAwsPrincipal(
      'arn:aws:sts::111122223333:assumed-role/Devops/alice-laptop',
    );
    assert.ok(
      r.ok && r.value.user.id === 'iam:arn:aws:iam::111122223333:role/Devops' && r.value.method === 'aws_iam',
    );
    const unknown = {
      ok: false,
      error: { status: 403, message: 'user is no longer in the iam-jit user list' },
    };
    assert.deepEqual(
      await auth.authenticateAwsPrincipal('arn:aws:sts::111122223333:assumed-role/Other/s'),
      unknown,
    );
    assert.deepEqual(await auth.authenticateAwsPrincipal('arn:aws:iam::111122223333:root'), unknown);
    await users.update('iam:arn:aws:iam::111122223333:role/Devops', { enabled: false });
    assert.deepEqual(await auth.authenticateAwsPrincipal('arn:aws:iam::111122223333:role/Devops'), {
      ok: false,
      error: { status: 403, message: 'user is disabled' },
    });
  });
});

forEachDialect('test fixtures', (ctx) => {
  test('seedUser gives a user whose token and session both authenticate', async () => {
    const clock = createFakeClock();
    const seeded = await seedUser(ctx.database, { id: 'email:fixture@x.com', roles: ['approver'], clock });
    const store = identityStoreFor(ctx);
    const auth = createAuthenticator({
      users: store.users,
      tokens: store.tokens,
      sessions: store.sessions,
      clock,
    });
    const byToken = await auth.authenticate({ authorization: `Bearer ${seeded.token}` });
    const bySession = await auth.authenticate({ sessionToken: seeded.sessionToken });
    assert.ok(byToken.ok && byToken.value.user.id === 'email:fixture@x.com');
    assert.ok(bySession.ok && bySession.value.user.roles.includes('approver'));
  });
});
