// Structured logs of a real server run: JSON lines with a request id on every line of a request (the caller's
// X-Request-Id when safe, echoed back), an access line per request, and no secret anywhere — captured through a
// pino destination stream across magic-link sign-in, token mint, bearer calls and webhook/chat-binding secrets,
// then grepped for the secrets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLog } from '../../src/app.ts';
import { API_ROUTES } from '../../src/http/routes/index.ts';
import { forEachDialect } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { call, startTestServer, type TestServer } from './harness.ts';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly request_id?: string;
  readonly method?: string;
  readonly route?: string;
  readonly status?: number;
  readonly duration_ms?: number;
  readonly [key: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

forEachDialect('HTTP logs', (ctx) => {
  let server: TestServer;
  const chunks: string[] = [];
  const lines = (): Line[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  const linesOf = (requestId: string) => lines().filter((l) => l.request_id === requestId);

  before(async () => {
    const log = createLog({ logLevel: 'info' }, { write: (s: string) => void chunks.push(s) });
    server = await startTestServer(ctx.database, {
      log,
      env: { IAM_JIT_SECRET_KEY: 'ab'.repeat(32), IAM_JIT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
      app: {
        routes: [
          ...API_ROUTES,
          // A route with a bug: its unhandled error must be logged with the request id.
          (app) =>
            app.get('/api/v1/test-boom', () => {
              throw new Error('boom with Bearer iamjit_notarealtokenbutlookslikeone0000000000000');
            }),
        ],
      },
    });
    await seedUser(ctx.database, { id: 'email:carol@example.com', roles: ['requester', 'admin'] });
  });
  after(() => server.close());

  test('magic-link sign-in, token mint and bearer calls leave no secret in the logs', async () => {
    // 1. Ask for a sign-in link (dev mode answers with it and logs that it made one).
    const asked = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 'carol@example.com' } });
    assert.equal(asked.status, 202);
    const link = String(asked.body.dev_login_url);
    const linkToken = new URL(link).searchParams.get('token') ?? '';
    assert.ok(linkToken.length >= 20);

    // 2. Open it like a browser: the confirmation page (the token is in the query), then its form.
    const page = await fetch(`${server.url}/login/callback?token=${encodeURIComponent(linkToken)}`);
    const html = await page.text();
    assert.equal(page.status, 200);
    const csrfCookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('iam_jit_login_csrf='))
      ?.split(';')[0];
    assert.ok(csrfCookie);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const signedIn = await fetch(`${server.url}/login/callback`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrfCookie,
        origin: server.url,
      },
      body: new URLSearchParams({ token: linkToken, csrf }),
      redirect: 'manual',
    });
    assert.equal(signedIn.status, 303); // the web UI signs in and redirects to the page asked for
    const session = signedIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('iam_jit_session='))
      ?.split(';')[0];
    assert.ok(session);
    const sessionValue = session.slice('iam_jit_session='.length);

    // 3. Mint a token with the session, then call the API with it (also with a wrong one).
    const minted = await call(server, 'POST', '/api/v1/tokens', {
      body: { label: 'ci' },
      headers: { cookie: session, origin: server.url },
    });
    assert.equal(minted.status, 201, minted.text);
    const token = String(minted.body.token);
    assert.match(token, /^iamjit_/);
    assert.equal((await call(server, 'GET', '/api/v1/users/me', { token })).status, 200);
    assert.equal((await call(server, 'GET', '/api/v1/requests', { token })).status, 200);
    const wrong = `${token.slice(0, -4)}AAAA`;
    assert.equal((await call(server, 'GET', '/api/v1/requests', { token: wrong })).status, 401);
    // A caller that puts its token where the request id goes gets a fresh id instead.
    const smuggled = await call(server, 'GET', '/api/v1/users/me', {
      token,
      headers: { 'x-request-id': token },
    });
    assert.match(smuggled.headers.get('x-request-id') ?? '', UUID);
    const boom = await call(server, 'GET', '/api/v1/test-boom', { token });
    assert.equal(boom.status, 500);

    // 4. Webhook secrets: a subscription's signing secret (shown once) and a chat binding's secret webhook URL.
    const hook = await call(server, 'POST', '/api/v1/webhooks', {
      token,
      body: { url: 'http://127.0.0.1:9/hook', events: ['*'] },
    });
    assert.equal(hook.status, 201, hook.text);
    const webhookSecret = String(hook.body.secret);
    assert.ok(webhookSecret.length >= 20);
    const account = { id: '111122223333', name: 'Prod', environment: 'prod', approvers: [] };
    assert.equal((await call(server, 'POST', '/api/v1/accounts', { token, body: account })).status, 201);
    const chatPath = 'T0001/B0001/Zq8xSecretPathPart7733';
    const binding = await call(server, 'POST', '/api/v1/accounts/111122223333/chat-bindings', {
      token,
      body: { kind: 'slack', url: `http://127.0.0.1:9/services/${chatPath}` },
    });
    assert.equal(binding.status, 201, binding.text);

    const text = chunks.join('');
    assert.ok(text.length > 0);
    for (const [what, secret] of [
      ['minted API token', token],
      ['wrong API token', wrong],
      ['magic link token', linkToken],
      ['magic link token (URL-encoded)', encodeURIComponent(linkToken)],
      ['session cookie', sessionValue],
      ['login CSRF token', csrf],
      ['webhook signing secret', webhookSecret],
      ['chat webhook URL', chatPath],
    ] as const) {
      assert.ok(!text.includes(secret), `the ${what} is in the logs`);
    }
    assert.doesNotMatch(text, /iamjit_[A-Za-z0-9_-]{20,}/, 'no API-token-shaped text at all');
    // The dev-mode line still says a link was made, with its token cut out.
    assert.ok(lines().some((l) => l.msg.includes('/login/callback?token=[REDACTED]')));
    // Every access line has a request id, method, route pattern, status and duration.
    const access = lines().filter((l) => l.msg === 'request' || l.msg === 'request failed');
    assert.ok(access.length >= 9, `${access.length} access lines`);
    for (const l of access) {
      assert.match(l.request_id ?? '', UUID);
      assert.equal(typeof l.method, 'string');
      assert.equal(typeof l.status, 'number');
      assert.equal(typeof l.duration_ms, 'number');
      assert.ok(l.route === 'unmatched' || l.route?.startsWith('/'), String(l.route));
    }
    assert.ok(access.some((l) => l.route === '/login/callback' && l.method === 'GET' && l.status === 200));
    assert.ok(access.some((l) => l.route === '/api/v1/requests' && l.status === 401));
  });

  test('an unhandled error is logged with the request id of its request, which the response echoes', async () => {
    const alice = await seedUser(ctx.database, { id: 'email:alice-log@example.com' });
    const r = await call(server, 'GET', '/api/v1/test-boom', {
      token: alice.token,
      headers: { 'x-request-id': 'trace-42.a:b' },
    });
    assert.equal(r.status, 500);
    assert.equal(r.headers.get('x-request-id'), 'trace-42.a:b');
    const mine = linesOf('trace-42.a:b');
    const error = mine.find((l) => l.msg === 'unhandled error');
    assert.ok(error, JSON.stringify(mine));
    assert.match(JSON.stringify(error.err), /boom with Bearer \[REDACTED\]/);
    const access = mine.find((l) => l.msg === 'request failed');
    assert.equal(access?.status, 500);
    assert.equal(access?.route, '/api/v1/test-boom');
    assert.equal(access?.level, 50);
  });

  test('an unsafe X-Request-Id is replaced by a fresh one; every response carries one', async () => {
    for (const bad of ['<script>', 'a'.repeat(65), 'two words', '']) {
      const r = await call(server, 'GET', '/healthz', { headers: { 'x-request-id': bad } });
      assert.match(r.headers.get('x-request-id') ?? '', UUID, JSON.stringify(bad));
    }
    const none = await call(server, 'GET', '/nowhere');
    assert.match(none.headers.get('x-request-id') ?? '', UUID);
    const a = await call(server, 'GET', '/healthz');
    const b = await call(server, 'GET', '/healthz');
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
    // probes are quiet when they succeed; a 404 is logged
    assert.equal(linesOf(a.headers.get('x-request-id') ?? '').length, 0);
    assert.equal(linesOf(none.headers.get('x-request-id') ?? '')[0]?.route, 'unmatched');
  });
});
