// The HTTP edge over a real socket: error shapes, bad input, 401/403 texts, system routes, OpenAPI and docs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUserService } from '../../src/identity/user-service.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createIdentityStore } from '../../src/store/identity-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { call, list, startTestServer, type TestServer } from './harness.ts';

forEachDialect('HTTP basics', (ctx) => {
  let server: TestServer;
  let alice: SeededUser;
  let admin: SeededUser;
  before(async () => {
    server = await startTestServer(ctx.database);
    alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    admin = await seedUser(ctx.database, { id: 'email:root@x.com', roles: ['admin'] });
  });
  after(async () => server.close());

  test('/healthz answers without credentials; /readyz reports the database', async () => {
    const h = await call(server, 'GET', '/healthz');
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: 'ok' });
    const r = await call(server, 'GET', '/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.body.database, 'ok');
  });

  test('/metrics counts requests by method and status in Prometheus text', async () => {
    await call(server, 'GET', '/nope');
    const m = await call(server, 'GET', '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(m.text, /^iam_jit_http_requests_total\{method="GET",status="404"\} [1-9]\d*$/m);
  });

  test('an unknown API route is a 404 JSON error (other paths get the web UI 404 page)', async () => {
    const r = await call(server, 'GET', '/api/no/such/route');
    assert.equal(r.status, 404);
    assert.equal(r.body.error?.code, 'RouteNotFound');
    assert.equal(r.body.error?.message, 'no route for GET /api/no/such/route');
    const authed = await call(server, 'GET', '/api/v1/nothing-here', { token: alice.token });
    assert.equal(authed.status, 404);
    assert.equal(authed.body.error?.code, 'RouteNotFound');
  });

  test('malformed JSON is a 400 naming line, column and position', async () => {
    const r = await call(server, 'POST', '/api/v1/tokens', {
      token: alice.token,
      body: '{\n  "label": "x",\n  oops\n}',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.code, 'MalformedJson');
    assert.equal(r.body.error?.details?.line, 3);
    assert.equal(r.body.error?.details?.column, 3);
    assert.equal(r.body.error?.details?.position, 20);
    assert.match(String(r.body.error?.message), /line 3, column 3 \(position 20\)/);
    const trailing = await call(server, 'POST', '/api/v1/auth/login', { body: '{"email": "a@b.c",}' });
    assert.equal(trailing.status, 400);
    assert.equal(trailing.body.error?.details?.position, 18);
  });

  test('a wrong type is a 400 naming the field', async () => {
    const r = await call(server, 'POST', '/api/v1/auth/login', { body: { email: 42 } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.code, 'InvalidRequest');
    assert.match(String(r.body.error?.message), /^email: /);
    assert.equal(list(r.body.error?.details?.issues)[0]?.field, 'email');
    const missing = await call(server, 'POST', '/api/v1/auth/login', { body: {} });
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.error?.message), /^email: /);
    const query = await call(server, 'GET', '/api/v1/users?limit=many', { token: admin.token });
    assert.equal(query.status, 400);
    assert.match(String(query.body.error?.message), /^limit: /);
    assert.equal(list(query.body.error?.details?.issues)[0]?.in, 'query');
    const nested = await call(server, 'POST', '/api/v1/users', {
      token: admin.token,
      body: { user_id: 'email:n@x.com', roles: ['requester', 7] },
    });
    assert.equal(nested.status, 400);
    assert.match(String(nested.body.error?.message), /^roles\.1: /);
  });

  test('a body over 1 MiB is a 413, declared or not', async () => {
    const big = JSON.stringify({ label: 'x'.repeat(1024 * 1024) });
    const r = await call(server, 'POST', '/api/v1/tokens', { token: alice.token, body: big });
    assert.equal(r.status, 413);
    assert.equal(r.body.error?.code, 'PayloadTooLarge');
    const justUnder = await call(server, 'POST', '/api/v1/auth/login', {
      body: `{"email":"a@b.c"${' '.repeat(1024 * 1024 - 20)}}`,
    });
    assert.equal(justUnder.status, 202);
  });

  test('401s carry the exact texts and WWW-Authenticate: Bearer', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'not authenticated'],
      [{ authorization: 'Bearer nope' }, 'invalid bearer token format'],
      [{ authorization: 'Basic abc' }, 'invalid bearer token format'],
      [{ authorization: `Bearer iamjit_${'A'.repeat(43)}` }, 'bearer token not found'],
      [{ cookie: 'iam_jit_session=unknown' }, 'not authenticated'],
    ];
    for (const [headers, message] of cases) {
      const r = await call(server, 'GET', '/api/v1/users/me', { headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(r.body, { error: { code: 'Unauthenticated', message } });
    }
  });

  test("403 for a disabled user's token and no session left; a deleted user's token stops working at once", async () => {
    const bob = await seedUser(ctx.database, { id: 'email:bob@x.com' });
    const users = createUserService({ ...createIdentityStore(ctx.database), clock: systemClock });
    assert.equal((await call(server, 'GET', '/api/v1/users/me', { token: bob.token })).status, 200);
    await users.update('email:bob@x.com', { enabled: false });
    const disabled = await call(server, 'GET', '/api/v1/users/me', { token: bob.token });
    assert.equal(disabled.status, 403);
    assert.deepEqual(disabled.body, { error: { code: 'Forbidden', message: 'user is disabled' } });
    // Disabling ends the user's browser sessions (tokens are refused while disabled, sessions are gone for good).
    const bySession = await call(server, 'GET', '/api/v1/users/me', {
      headers: { cookie: `iam_jit_session=${bob.sessionToken}` },
    });
    assert.equal(bySession.status, 401);
    assert.equal(bySession.body.error?.message, 'not authenticated');
    await users.remove('email:bob@x.com');
    const deleted = await call(server, 'GET', '/api/v1/users/me', { token: bob.token });
    assert.equal(deleted.status, 401);
    assert.equal(deleted.body.error?.message, 'bearer token not found');
  });

  test('OpenAPI 3.1 document lists the routes with their zod schemas; the docs page renders it without scripts', async () => {
    const doc = await call(server, 'GET', '/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths?.['/api/v1/auth/login']?.post);
    assert.ok(doc.body.paths?.['/api/v1/users/{user_id}']?.patch);
    assert.deepEqual(doc.body.components?.schemas?.LoginRequest?.required, ['email']);
    assert.equal(doc.body.components?.securitySchemes?.bearerToken?.scheme, 'bearer');
    const html = await call(server, 'GET', '/api/v1/docs');
    assert.equal(html.status, 200);
    assert.match(html.text, /^<!DOCTYPE html>/);
    assert.match(html.text, /POST<\/span> <code>\/api\/v1\/tokens<\/code>/);
    assert.match(html.text, /id="schema-User"/);
    assert.doesNotMatch(html.text, /<script/i);
  });

  test('every API answer forbids framing and scripts (web pages: test/web/pages-http.test.ts)', async () => {
    for (const path of ['/api/v1/docs', '/healthz']) {
      const r = await call(server, 'GET', path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('an unsupported media type on a JSON route is 415', async () => {
    const r = await call(server, 'POST', '/api/v1/auth/login', {
      body: 'email=a@b.c',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.error?.code, 'UnsupportedMediaType');
  });
});
