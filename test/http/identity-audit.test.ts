// Identity changes leave audit rows written in the same transaction: sign-in link requested, login, failed login
// (each reason, with nothing else changed), logout, API token minted/revoked, user created/updated/deleted. No row
// ever holds a token or a sign-in link.
import assert from 'node:assert/strict';
import { after as afterAll, before, beforeEach, test } from 'node:test';
import { hashSecret } from '../../src/identity/api-token.ts';
import { createFakeClock, MINUTE } from '../../src/lib/clock.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { call, type Loose, list, startTestServer, type TestServer } from './harness.ts';

// The harness serves through a fetch wrapper that hides the socket, so the edge records the client IP as unknown.
const IP = 'unknown';

forEachDialect('identity audit rows', (ctx) => {
  const clock = createFakeClock('2026-11-20T09:00:00.000Z');
  let server: TestServer;
  let admin: SeededUser;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer(ctx.database, {
      clock,
      env: { IAM_JIT_LOGIN_LIMIT_PER_EMAIL: '1000', IAM_JIT_LOGIN_LIMIT_PER_IP: '1000' },
    });
  });
  afterAll(async () => server.close());
  beforeEach(async () => {
    await ctx.reset();
    admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'], clock });
    alice = await seedUser(ctx.database, { id: 'email:alice@x.com', clock });
  });

  /** Every audit event after `afterSeq`, through the admin API. */
  async function eventsAfter(afterSeq: number): Promise<Loose[]> {
    const res = await call(server, 'GET', `/api/v1/audit?limit=1000&after=s${afterSeq}`, {
      token: admin.token,
    });
    assert.equal(res.status, 200, res.text);
    return list(res.body.events);
  }
  async function headSeq(): Promise<number> {
    const all = await eventsAfter(0);
    return Number(all.at(-1)?.seq ?? 0);
  }
  /** The one event appended by `act`, checked for secrets. */
  async function onlyEvent(act: () => Promise<unknown>, secrets: string[] = []): Promise<Loose> {
    const from = await headSeq();
    await act();
    const events = await eventsAfter(from);
    assert.equal(events.length, 1, JSON.stringify(events));
    const text = JSON.stringify(events[0]);
    for (const s of secrets) assert.equal(text.includes(s), false, 'an audit row holds a secret');
    return events[0] as Loose;
  }
  const plain = (e: Loose) => ({ action: e.action, actor: e.actor, subject: e.subject, data: e.data });
  async function requestLink(email: string): Promise<string> {
    const res = await call(server, 'POST', '/api/v1/auth/login', { body: { email } });
    assert.equal(res.status, 202);
    const url = new URL(String(res.body.dev_login_url));
    return String(url.searchParams.get('token'));
  }
  const callback = (token: string) => call(server, 'POST', '/api/v1/auth/callback', { body: { token } });
  const countRows = async (table: 'sessions' | 'magic_links') =>
    (await ctx.database.db.selectFrom(table).selectAll().execute()).length;

  test('seeding writes user.created, token.minted and auth.login for each user', async () => {
    assert.deepEqual(
      (await eventsAfter(0)).map((e) => [e.action, e.actor, e.subject]),
      [
        ['user.created', 'system', 'email:admin@x.com'],
        ['token.minted', 'email:admin@x.com', 'email:admin@x.com'],
        ['auth.login', 'email:admin@x.com', 'email:admin@x.com'],
        ['user.created', 'system', 'email:alice@x.com'],
        ['token.minted', 'email:alice@x.com', 'email:alice@x.com'],
        ['auth.login', 'email:alice@x.com', 'email:alice@x.com'],
      ],
    );
  });

  test('link requested → login → logout, with link and session ids but never the link or cookie', async () => {
    let token = '';
    const requested = await onlyEvent(async () => {
      token = await requestLink('alice@x.com');
    });
    const linkId = String(requested.data?.link_id);
    assert.match(linkId, /^mlk_/);
    assert.deepEqual(plain(requested), {
      action: 'auth.link_requested',
      actor: 'anonymous',
      subject: 'email:alice@x.com',
      data: { link_id: linkId, expires_at: '2026-11-20T09:15:00.000Z', ip: IP },
    });
    assert.equal(JSON.stringify(requested).includes(token), false);
    // Unknown addresses are answered the same and leave no row.
    const from = await headSeq();
    const unknown = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@x.com' } });
    assert.equal(unknown.status, 202);
    assert.equal((await eventsAfter(from)).length, 0);

    let cookie = '';
    const login = await onlyEvent(async () => {
      const res = await callback(token);
      assert.equal(res.status, 200);
      cookie = /iam_jit_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    }, [token]);
    const sessionId = String(login.data?.session_id);
    assert.match(sessionId, /^ses_/);
    assert.deepEqual(plain(login), {
      action: 'auth.login',
      actor: 'email:alice@x.com',
      subject: 'email:alice@x.com',
      data: {
        method: 'magic_link',
        link_id: linkId,
        ip: IP,
        session_id: sessionId,
        session_expires_at: '2026-11-21T09:00:00.000Z',
      },
    });
    assert.notEqual(cookie, '');

    const logout = await onlyEvent(async () => {
      const res = await call(server, 'POST', '/api/v1/auth/logout', {
        headers: { cookie: `iam_jit_session=${cookie}`, origin: server.url },
      });
      assert.equal(res.status, 204);
    }, [cookie]);
    assert.deepEqual(plain(logout), {
      action: 'auth.logout',
      actor: 'email:alice@x.com',
      subject: 'email:alice@x.com',
      data: { session_id: sessionId },
    });
  });

  test('each failed login writes auth.login_failed with its reason, and changes nothing else', async () => {
    const token = await requestLink('alice@x.com');
    assert.equal((await callback(token)).status, 200);
    const failures: [string, string, () => Promise<unknown>][] = [
      ['malformed_link', 'x', () => callback('not-a-link')],
      ['unknown_link', 'x', () => callback('A'.repeat(43))],
      ['link_already_used', 'alice', () => callback(token)],
    ];
    const expired = await requestLink('alice@x.com');
    clock.advance(16 * MINUTE);
    failures.push(['link_expired', 'alice', () => callback(expired)]);
    for (const [reason, who, attempt] of failures) {
      const sessions = await countRows('sessions');
      const links = await ctx.database.db.selectFrom('magic_links').selectAll().orderBy('id').execute();
      const row = await onlyEvent(async () => {
        const res = (await attempt()) as { status: number };
        assert.equal(res.status, 401, reason);
      }, [token, expired]);
      assert.equal(row.action, 'auth.login_failed');
      assert.equal(row.actor, 'anonymous');
      assert.equal(row.subject, who === 'alice' ? 'email:alice@x.com' : null, reason);
      assert.equal(row.data?.reason, reason);
      assert.equal(row.data?.method, 'magic_link');
      assert.equal(row.data?.ip, IP);
      if (who === 'alice') assert.match(String(row.data?.link_id), /^mlk_/);
      // The failure is recorded, and nothing else changed: no session, no link consumed or removed.
      assert.equal(await countRows('sessions'), sessions, reason);
      assert.deepEqual(
        await ctx.database.db.selectFrom('magic_links').selectAll().orderBy('id').execute(),
        links,
        reason,
      );
    }
    // A link whose user was disabled meanwhile is used up and refused.
    const late = await requestLink('alice@x.com');
    const patch = await call(server, 'PATCH', '/api/v1/users/email%3Aalice%40x.com', {
      token: admin.token,
      body: { enabled: false },
    });
    assert.equal(patch.status, 200);
    const disabled = await onlyEvent(async () => assert.equal((await callback(late)).status, 401), [late]);
    assert.equal(disabled.data?.reason, 'user_disabled');
    assert.equal(disabled.subject, 'email:alice@x.com');
  });

  test('API tokens: minted and revoked (own and by an admin), with the public token hash only', async () => {
    let token = '';
    const minted = await onlyEvent(async () => {
      const res = await call(server, 'POST', '/api/v1/tokens', { token: alice.token, body: { label: 'ci' } });
      assert.equal(res.status, 201);
      token = String(res.body.token);
    });
    assert.deepEqual(plain(minted), {
      action: 'token.minted',
      actor: 'email:alice@x.com',
      subject: 'email:alice@x.com',
      data: { token_hash: hashSecret(token), label: 'ci' },
    });
    assert.equal(JSON.stringify(minted).includes(token), false);
    const own = await onlyEvent(async () => {
      const res = await call(server, 'DELETE', `/api/v1/tokens/${hashSecret(token)}`, { token: alice.token });
      assert.equal(res.status, 204);
    });
    assert.deepEqual(plain(own), {
      action: 'token.revoked',
      actor: 'email:alice@x.com',
      subject: 'email:alice@x.com',
      data: { token_hash: hashSecret(token), label: 'ci' },
    });
    const byAdmin = await onlyEvent(async () => {
      const res = await call(server, 'DELETE', `/api/v1/tokens/${hashSecret(alice.token)}`, {
        token: admin.token,
      });
      assert.equal(res.status, 204);
    });
    assert.deepEqual(plain(byAdmin), {
      action: 'token.revoked',
      actor: 'email:admin@x.com',
      subject: 'email:alice@x.com',
      data: { token_hash: hashSecret(alice.token), label: 'test' },
    });
    // A refused revoke (unknown token) writes nothing.
    const from = await headSeq();
    assert.equal(
      (await call(server, 'DELETE', `/api/v1/tokens/${'0'.repeat(64)}`, { token: admin.token })).status,
      404,
    );
    assert.equal((await eventsAfter(from)).length, 0);
  });

  test('users: created, updated (roles, enabled, sessions ended) and deleted, by the admin', async () => {
    const created = await onlyEvent(async () => {
      const res = await call(server, 'POST', '/api/v1/users', {
        token: admin.token,
        body: { user_id: 'email:carol@x.com', roles: ['requester', 'approver'] },
      });
      assert.equal(res.status, 201);
    });
    assert.deepEqual(plain(created), {
      action: 'user.created',
      actor: 'email:admin@x.com',
      subject: 'email:carol@x.com',
      data: { display_name: 'carol@x.com', roles: ['requester', 'approver'], enabled: true },
    });
    const updated = await onlyEvent(async () => {
      const res = await call(server, 'PATCH', '/api/v1/users/email%3Aalice%40x.com', {
        token: admin.token,
        body: { roles: ['requester', 'approver'], enabled: false },
      });
      assert.equal(res.status, 200);
    });
    assert.deepEqual(plain(updated), {
      action: 'user.updated',
      actor: 'email:admin@x.com',
      subject: 'email:alice@x.com',
      data: {
        changes: {
          roles: { from: ['requester'], to: ['requester', 'approver'] },
          enabled: { from: true, to: false },
        },
        sessions_ended: 1,
      },
    });
    // A PATCH that changes nothing records nothing.
    const from = await headSeq();
    await call(server, 'PATCH', '/api/v1/users/email%3Aalice%40x.com', {
      token: admin.token,
      body: { enabled: false },
    });
    assert.equal((await eventsAfter(from)).length, 0);
    const deleted = await onlyEvent(async () => {
      const res = await call(server, 'DELETE', '/api/v1/users/email%3Acarol%40x.com', { token: admin.token });
      assert.equal(res.status, 204);
    });
    assert.deepEqual(plain(deleted), {
      action: 'user.deleted',
      actor: 'email:admin@x.com',
      subject: 'email:carol@x.com',
      data: { display_name: 'carol@x.com', roles: ['requester', 'approver'], enabled: true },
    });
  });
});
