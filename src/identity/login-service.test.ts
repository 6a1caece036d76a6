import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { identityStoreFor } from '../../test/support/stores.ts';
import { createFakeClock, MINUTE } from '../lib/clock.ts';
import { hashSecret } from './api-token.ts';
import { createAuthenticator } from './authenticate.ts';
import { createLoginService, type LoginService } from './login-service.ts';
import { createUserService, type UserService } from './user-service.ts';

forEachDialect('magic-link login', (ctx) => {
  let clock: ReturnType<typeof createFakeClock>;
  let users: UserService;
  let login: LoginService;
  beforeEach(async () => {
    await ctx.reset();
    clock = createFakeClock('2026-05-01T09:00:00.000Z');
    const store = identityStoreFor(ctx);
    users = createUserService({ users: store.users, transaction: store.transaction, clock });
    login = createLoginService({
      magicLinks: store.magicLinks,
      sessions: store.sessions,
      transaction: store.transaction,
      clock,
    });
    await users.create({ id: 'email:alice@x.com' });
  });

  test('a known email gets a 15-minute link stored only as a hash; unknown, disabled and malformed get nothing', async () => {
    const link = await login.requestLink('  Alice@X.com ');
    assert.ok(link);
    assert.equal(link.email, 'alice@x.com');
    assert.match(link.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(link.expiresAt.toISOString(), '2026-05-01T09:15:00.000Z');
    const rows = await ctx.database.db.selectFrom('magic_links').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => r.token_hash),
      [hashSecret(link.token)],
    );
    assert.equal(await login.requestLink('nobody@x.com'), undefined);
    assert.equal(await login.requestLink('not an email'), undefined);
    await users.create({ id: 'email:off@x.com', enabled: false });
    assert.equal(await login.requestLink('off@x.com'), undefined);
    assert.equal((await ctx.database.db.selectFrom('magic_links').selectAll().execute()).length, 1);
  });

  test('a link opens one 24-hour session, then never again', async () => {
    const link = await login.requestLink('alice@x.com');
    assert.ok(link);
    clock.advance(14 * MINUTE);
    const session = await login.consumeLink(link.token);
    assert.ok(session);
    assert.equal(session.user.id, 'email:alice@x.com');
    assert.equal(session.expiresAt.toISOString(), '2026-05-02T09:14:00.000Z');
    assert.equal(await login.consumeLink(link.token), undefined);
    const store = identityStoreFor(ctx);
    const auth = createAuthenticator({
      users: store.users,
      tokens: store.tokens,
      sessions: store.sessions,
      clock,
    });
    const r = await auth.authenticate({ sessionToken: session.token });
    assert.ok(r.ok && r.value.user.id === 'email:alice@x.com');
    const stored = await ctx.database.db.selectFrom('sessions').select('token_hash').execute();
    assert.deepEqual(stored, [{ token_hash: hashSecret(session.token) }]);
  });

  test('an expired link, a made-up token and a link of a since-disabled user open nothing', async () => {
    const late = await login.requestLink('alice@x.com');
    assert.ok(late);
    clock.advance(15 * MINUTE);
    assert.equal(await login.consumeLink(late.token), undefined);
    assert.equal(await login.consumeLink('x'.repeat(43)), undefined);
    assert.equal(await login.consumeLink('short'), undefined);
    const link = await login.requestLink('alice@x.com');
    assert.ok(link);
    await users.update('email:alice@x.com', { enabled: false });
    assert.equal(await login.consumeLink(link.token), undefined);
  });

  test('two concurrent consumes of one link yield exactly one session', async () => {
    for (let i = 0; i < 5; i++) {
      const link = await login.requestLink('alice@x.com');
      assert.ok(link);
      const results = await Promise.all([login.consumeLink(link.token), login.consumeLink(link.token)]);
      assert.equal(results.filter((r) => r !== undefined).length, 1);
    }
    assert.equal((await ctx.database.db.selectFrom('sessions').selectAll().execute()).length, 5);
  });

  test("logoutEverywhere ends all of one user's sessions and no one else's", async () => {
    const alice = await users.get('email:alice@x.com');
    const bob = await users.create({ id: 'email:bob@x.com' });
    assert.ok(alice);
    await login.openSession(alice);
    await login.openSession(alice);
    const bobs = await login.openSession(bob);
    assert.equal(await login.logoutEverywhere('email:alice@x.com'), 2);
    const left = await ctx.database.db.selectFrom('sessions').select('token_hash').execute();
    assert.deepEqual(left, [{ token_hash: hashSecret(bobs.token) }]);
  });

  test('pruneExpired removes used and expired links and expired sessions only', async () => {
    const used = await login.requestLink('alice@x.com');
    assert.ok(used);
    const session = await login.consumeLink(used.token);
    assert.ok(session);
    await login.requestLink('alice@x.com'); // still valid
    assert.equal(await login.pruneExpired(), 1);
    clock.advance(25 * 60 * MINUTE);
    assert.equal(await login.pruneExpired(), 2);
    assert.equal((await ctx.database.db.selectFrom('magic_links').selectAll().execute()).length, 0);
    assert.equal((await ctx.database.db.selectFrom('sessions').selectAll().execute()).length, 0);
  });
});
