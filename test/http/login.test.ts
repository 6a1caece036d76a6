// Magic-link sign-in end to end over real sockets: real SMTP delivery, the confirmation page with its CSRF token,
// session cookies, Origin checks, logout, expired and used links, rate limits and the config knobs they read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createFakeClock, type FakeClock, HOUR, MINUTE } from '../../src/lib/clock.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { forEachDialect } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { call, startTestServer, type TestServer } from './harness.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

const SECRET = { IAM_JIT_SECRET_KEY: 'a'.repeat(64) };

/** The `name=value` of a Set-Cookie header for `name`, and the whole header line. */
function cookieOf(headers: Headers, name: string): { pair: string; line: string } | undefined {
  const line = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return line === undefined ? undefined : { pair: line.split(';')[0] ?? '', line };
}

function tokenFromLink(link: string): string {
  const token = new URL(link).searchParams.get('token');
  assert.ok(token, `no token in ${link}`);
  return token;
}

/** Opens the confirmation page and submits its form like a browser; returns the final response. */
async function confirmInBrowser(server: TestServer, link: string, { origin }: { origin?: string } = {}) {
  const page = await fetch(`${server.url}${new URL(link).pathname}${new URL(link).search}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  const csrfCookie = cookieOf(page.headers, 'iam_jit_login_csrf');
  assert.ok(csrfCookie, 'the page sets the CSRF cookie');
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  const form = new URLSearchParams({ token: field('token'), csrf: field('csrf') });
  return fetch(`${server.url}/login/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: csrfCookie.pair,
      ...(origin !== undefined ? { origin } : { origin: server.url }),
    },
    body: form,
    redirect: 'manual',
  });
}

forEachDialect('HTTP sign-in', (ctx) => {
  let smtp: TestSmtp;
  let server: TestServer;
  let clock: FakeClock;
  before(async () => {
    smtp = await startTestSmtp();
    clock = createFakeClock(new Date());
    server = await startTestServer(ctx.database, {
      clock,
      env: {
        IAM_JIT_SMTP_HOST: '127.0.0.1',
        IAM_JIT_SMTP_PORT: String(smtp.port),
        IAM_JIT_LOGIN_LIMIT_PER_IP: '1000',
      },
    });
    await seedUser(ctx.database, { id: 'email:alice@x.com', roles: ['approver'] });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  test('login mails a link over SMTP (dev mode also returns it); the page + CSRF form signs in with a session cookie', async () => {
    const r = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'Alice@X.com' } });
    assert.equal(r.status, 202);
    const mail = await smtp.next('alice@x.com');
    assert.equal(mail.subject, 'Your iam-jit sign-in link');
    assert.match(mail.from, /iam-jit@localhost/);
    const link = /(http:\/\/\S+\/login\/callback\?token=\S+)/.exec(mail.text)?.[1];
    assert.ok(link, mail.text);
    assert.equal(link, r.body.dev_login_url);
    assert.ok(mail.html.includes(link.replaceAll('&', '&amp;')));

    // GET only shows the page: twice is fine, nothing is consumed (mail scanners prefetch links).
    assert.equal((await fetch(link)).status, 200);
    const res = await confirmInBrowser(server, link);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const session = cookieOf(res.headers, 'iam_jit_session');
    assert.ok(session);
    assert.match(session.line, /HttpOnly/);
    assert.match(session.line, /SameSite=Lax/);
    assert.match(session.line, /Max-Age=86400/);
    assert.match(session.line, /Path=\//);
    assert.doesNotMatch(session.line, /Secure/);

    const me = await call(server, 'GET', '/api/v1/users/me', { headers: { cookie: session.pair } });
    assert.equal(me.status, 200);
    assert.equal(me.body.user_id, 'email:alice@x.com');
    assert.equal(me.body.auth_method, 'session');

    const reused = await confirmInBrowser(server, link);
    assert.equal(reused.status, 400);
    assert.match(await reused.text(), /invalid, expired .* or already used/);
  });

  test('cookie-authenticated unsafe requests need a matching Origin; bearer requests do not', async () => {
    const link = String(
      (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'alice@x.com' } })).body
        .dev_login_url,
    );
    await smtp.next('alice@x.com');
    const api = await call(server, 'POST', '/api/v1/auth/callback', { body: { token: tokenFromLink(link) } });
    assert.equal(api.status, 200);
    assert.equal(api.body.user?.user_id, 'email:alice@x.com');
    const cookie = cookieOf(api.headers, 'iam_jit_session')?.pair ?? '';
    const none = await call(server, 'POST', '/api/v1/tokens', { headers: { cookie }, body: {} });
    assert.equal(none.status, 403);
    assert.equal(none.body.error?.code, 'OriginMismatch');
    const evil = await call(server, 'POST', '/api/v1/tokens', {
      headers: { cookie, origin: 'https://evil.example' },
      body: {},
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.body.error?.code, 'OriginMismatch');
    const good = await call(server, 'POST', '/api/v1/tokens', {
      headers: { cookie, origin: server.url },
      body: {},
    });
    assert.equal(good.status, 201);
    const bearer = await call(server, 'POST', '/api/v1/tokens', { token: String(good.body.token), body: {} });
    assert.equal(bearer.status, 201);
    // Safe methods need no Origin.
    assert.equal((await call(server, 'GET', '/api/v1/tokens', { headers: { cookie } })).status, 200);

    const out = await call(server, 'POST', '/api/v1/auth/logout', {
      headers: { cookie, origin: server.url },
    });
    assert.equal(out.status, 204);
    assert.match(cookieOf(out.headers, 'iam_jit_session')?.line ?? '', /Max-Age=0/);
    const after = await call(server, 'GET', '/api/v1/users/me', { headers: { cookie } });
    assert.equal(after.status, 401);
    assert.equal(after.body.error?.message, 'not authenticated');
    assert.equal(after.headers.get('www-authenticate'), 'Bearer');
  });

  test('the confirmation form is refused without the CSRF token, with a wrong one, or from another Origin', async () => {
    const link = String(
      (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'alice@x.com' } })).body
        .dev_login_url,
    );
    await smtp.next('alice@x.com');
    const token = tokenFromLink(link);
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      fetch(`${server.url}/login/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form),
      });
    assert.equal((await post({}, { token, csrf: 'x' })).status, 403);
    assert.equal((await post({ cookie: 'iam_jit_login_csrf=abc' }, { token, csrf: 'abd' })).status, 403);
    assert.equal((await confirmInBrowser(server, link, { origin: 'https://evil.example' })).status, 403);
    // None of those used the link up.
    assert.equal((await confirmInBrowser(server, link)).status, 303);
  });

  test('links expire after 15 minutes; sessions after 24 hours', async () => {
    const link = String(
      (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'alice@x.com' } })).body
        .dev_login_url,
    );
    await smtp.next('alice@x.com');
    clock.advance(15 * MINUTE + 1);
    const late = await call(server, 'POST', '/api/v1/auth/callback', {
      body: { token: tokenFromLink(link) },
    });
    assert.equal(late.status, 401);
    assert.equal(late.body.error?.message, 'not authenticated');
    assert.equal(late.headers.get('www-authenticate'), 'Bearer');

    const fresh = String(
      (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'alice@x.com' } })).body
        .dev_login_url,
    );
    await smtp.next('alice@x.com');
    const signed = await call(server, 'POST', '/api/v1/auth/callback', {
      body: { token: tokenFromLink(fresh) },
    });
    const cookie = cookieOf(signed.headers, 'iam_jit_session')?.pair ?? '';
    clock.advance(24 * HOUR - 1000);
    assert.equal((await call(server, 'GET', '/api/v1/users/me', { headers: { cookie } })).status, 200);
    clock.advance(1000);
    assert.equal((await call(server, 'GET', '/api/v1/users/me', { headers: { cookie } })).status, 401);
  });

  test('unknown addresses get the same answer and no mail', async () => {
    const unknown = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@x.com' } });
    assert.equal(unknown.status, 202);
    assert.equal(unknown.body.dev_login_url, undefined);
    await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'alice@x.com' } });
    await smtp.next('alice@x.com'); // mail is sent in order; the unknown address's would have come first
    assert.equal(smtp.received.filter((m) => m.to === 'nobody@x.com').length, 0);
  });
});

// Each server below runs on its own fake time (days apart, moving forward in test order) so rate-limit windows of
// one test never count toward another's.
forEachDialect('HTTP sign-in config knobs', (ctx) => {
  before(async () => {
    await seedUser(ctx.database, { id: 'email:bob@x.com' });
  });

  test('outside dev mode the answer is identical for known and unknown addresses (no link in it)', async () => {
    const server = await startTestServer(ctx.database, { env: { IAM_JIT_DEV_MODE: 'false', ...SECRET } });
    try {
      const known = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } });
      const unknown = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'carl@x.com' } });
      assert.equal(known.status, 202);
      assert.deepEqual(known.body, unknown.body);
      assert.equal(known.text, unknown.text);
    } finally {
      await server.close();
    }
  });

  test('IAM_JIT_BASE_URL: links use it, and an https base URL makes the session cookie Secure', async () => {
    const smtp = await startTestSmtp();
    const mailer = createMailer({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      user: undefined,
      password: undefined,
      from: 'x@y.z',
    });
    const server = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 30 * 24 * HOUR)),
      mailer,
      env: { IAM_JIT_BASE_URL: 'https://iam-jit.example.com' },
    });
    try {
      await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } });
      const mail = await smtp.next('bob@x.com');
      const link = /(https:\/\/iam-jit\.example\.com\/login\/callback\?token=\S+)/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);
      const signed = await call(server, 'POST', '/api/v1/auth/callback', {
        body: { token: tokenFromLink(link) },
      });
      assert.match(cookieOf(signed.headers, 'iam_jit_session')?.line ?? '', /Secure/);
      const cookie = cookieOf(signed.headers, 'iam_jit_session')?.pair ?? '';
      const r = await call(server, 'POST', '/api/v1/tokens', {
        headers: { cookie, origin: 'https://iam-jit.example.com' },
        body: {},
      });
      assert.equal(r.status, 201);
    } finally {
      await server.close();
      await mailer.close();
      await smtp.close();
    }
  });

  test('IAM_JIT_SMTP_USER/PASSWORD log in to the SMTP server; IAM_JIT_SMTP_FROM is the sender; failures are logged', async () => {
    const smtp = await startTestSmtp({ auth: { user: 'mailer', password: 's3cret' } });
    const errors: string[] = [];
    const log = {
      info: () => {},
      warn: () => {},
      error: (_f: object, m?: string) => void errors.push(m ?? ''),
    };
    const env = {
      IAM_JIT_SMTP_HOST: '127.0.0.1',
      IAM_JIT_SMTP_PORT: String(smtp.port),
      IAM_JIT_SMTP_USER: 'mailer',
      IAM_JIT_SMTP_FROM: 'Access Desk <access@corp.example>',
    };
    const good = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 40 * 24 * HOUR)),
      env: { ...env, IAM_JIT_SMTP_PASSWORD: 's3cret' },
    });
    const bad = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 45 * 24 * HOUR)),
      log,
      env: { ...env, IAM_JIT_SMTP_PASSWORD: 'wrong' },
    });
    try {
      await call(good, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } });
      const mail = await smtp.next('bob@x.com');
      assert.equal(mail.from, 'access@corp.example');
      assert.equal(
        (await call(bad, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } })).status,
        202,
      );
      for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(errors, ['sign-in mail failed']);
      assert.equal(smtp.received.length, 1);
    } finally {
      await good.close();
      await bad.close();
      await smtp.close();
    }
  });

  test('IAM_JIT_SMTP_SECURE: implicit TLS against a plain SMTP server fails (logged), so no mail arrives', async () => {
    const smtp = await startTestSmtp();
    const errors: string[] = [];
    const log = {
      info: () => {},
      warn: () => {},
      error: (_f: object, m?: string) => void errors.push(m ?? ''),
    };
    const server = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 50 * 24 * HOUR)),
      log,
      env: {
        IAM_JIT_SMTP_HOST: '127.0.0.1',
        IAM_JIT_SMTP_PORT: String(smtp.port),
        IAM_JIT_SMTP_SECURE: 'true',
      },
    });
    try {
      assert.equal(
        (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } })).status,
        202,
      );
      for (let i = 0; i < 400 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(errors, ['sign-in mail failed']);
      assert.equal(smtp.received.length, 0);
    } finally {
      await server.close();
      await smtp.close();
    }
  });

  test('IAM_JIT_LOGIN_LIMIT_PER_EMAIL: the next request in 15 minutes is 429 with Retry-After', async () => {
    const clock = createFakeClock(new Date(Date.now() + 60 * 24 * HOUR));
    const server = await startTestServer(ctx.database, {
      clock,
      env: { IAM_JIT_LOGIN_LIMIT_PER_EMAIL: '2' },
    });
    try {
      for (let i = 0; i < 2; i++)
        assert.equal(
          (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } })).status,
          202,
        );
      const limited = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'BOB@x.com' } });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error?.code, 'RateLimited');
      assert.equal(limited.headers.get('retry-after'), '900');
      // Another address is not affected; after the window the address may ask again.
      assert.equal(
        (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'zed@x.com' } })).status,
        202,
      );
      clock.advance(15 * MINUTE);
      assert.equal(
        (await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'bob@x.com' } })).status,
        202,
      );
    } finally {
      await server.close();
    }
  });

  test('IAM_JIT_LOGIN_LIMIT_PER_IP and IAM_JIT_TRUST_PROXY: X-Forwarded-For picks the bucket only behind a trusted proxy', async () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@x.com`);
    const direct = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 90 * 24 * HOUR)),
      env: { IAM_JIT_LOGIN_LIMIT_PER_IP: '3' },
    });
    try {
      const statuses = [];
      for (const [i, email] of emails(4).entries())
        statuses.push(
          (
            await call(direct, 'POST', '/api/v1/auth/login', {
              body: { email },
              headers: { 'x-forwarded-for': `10.0.0.${i}` },
            })
          ).status,
        );
      assert.deepEqual(statuses, [202, 202, 202, 429]);
    } finally {
      await direct.close();
    }
    const proxied = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 120 * 24 * HOUR)),
      env: { IAM_JIT_LOGIN_LIMIT_PER_IP: '3', IAM_JIT_TRUST_PROXY: 'true' },
    });
    try {
      const statuses = [];
      for (const [i, email] of emails(4).entries())
        statuses.push(
          (
            await call(proxied, 'POST', '/api/v1/auth/login', {
              body: { email },
              headers: { 'x-forwarded-for': `10.0.0.${i}` },
            })
          ).status,
        );
      assert.deepEqual(statuses, [202, 202, 202, 202]);
      for (let i = 0; i < 3; i++)
        await call(proxied, 'POST', '/api/v1/auth/login', {
          body: { email: `v${i}@x.com` },
          headers: { 'x-forwarded-for': '10.9.9.9' },
        });
      const limited = await call(proxied, 'POST', '/api/v1/auth/login', {
        body: { email: 'w@x.com' },
        headers: { 'x-forwarded-for': '10.9.9.9, 10.0.0.1' },
      });
      assert.equal(limited.status, 429);
    } finally {
      await proxied.close();
    }
  });
  test('IAM_JIT_LOGIN_LIMIT_PER_IP also bounds sign-in link uses: guessing stops at 429 before the audit log fills', async () => {
    const limited = await startTestServer(ctx.database, {
      clock: createFakeClock(new Date(Date.now() + 150 * 24 * HOUR)),
      env: { IAM_JIT_LOGIN_LIMIT_PER_IP: '3' },
    });
    try {
      const before = await limited.services.audit.list({ action: 'auth.login_failed' });
      const answers = [];
      for (let i = 0; i < 4; i++)
        answers.push(
          await call(limited, 'POST', '/api/v1/auth/callback', {
            body: { token: `guess-${i}-${'x'.repeat(40)}` },
            headers: { 'x-forwarded-for': '10.7.7.7' },
          }),
        );
      assert.deepEqual(
        answers.map((a) => a.status),
        [401, 401, 401, 429],
      );
      assert.equal(answers[3]?.body.error?.message, 'too many sign-in attempts; try again later');
      assert.ok(Number(answers[3]?.headers.get('retry-after')) > 0);
      const afterwards = await limited.services.audit.list({ action: 'auth.login_failed' });
      assert.equal(
        afterwards.events.length - before.events.length,
        3,
        'the refused attempt writes no audit row',
      );
    } finally {
      await limited.close();
    }
  });
});
