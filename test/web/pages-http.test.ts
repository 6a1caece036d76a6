// The web UI over a real socket without a browser: security headers, static files, sign-in redirects, the CSRF
// refusal (token, Origin, Fetch-Metadata), logout, the 404 page, and that API answers keep their own headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { WEB_CSP } from '../../src/web/security.ts';
import { startTestServer, type TestServer } from '../http/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

let server: TestServer;
let alice: SeededUser;
let dispose: () => Promise<void>;
let database: Database;

before(async () => {
  const opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  dispose = opened.dispose;
  database = opened.database;
  server = await startTestServer(opened.database, { env: { IAM_JIT_SECRET_KEY: 'b'.repeat(64) } });
  alice = await seedUser(opened.database, { id: 'email:alice@x.com' });
});
after(async () => {
  await server.close();
  await dispose();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });

/** The CSRF token of the forms on a page. */
function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'the page has a CSRF field');
  return token;
}

test('every page carries the CSP, nosniff, no-referrer and no-framing headers, and starts with a doctype', async () => {
  for (const path of ['/login', '/login/callback?token=abc', '/no/such/page']) {
    const r = await get(path);
    assert.equal(r.headers.get('content-security-policy'), WEB_CSP, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    const html = await r.text();
    assert.match(html, /^<!DOCTYPE html><html lang="en">/);
    assert.doesNotMatch(html, /<script>|<style|style="/, 'nothing inline (the CSP would block it)');
  }
  assert.equal(
    WEB_CSP,
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  );
});

test('API answers keep the API headers; unknown non-API paths get the HTML 404 page', async () => {
  const health = await get('/healthz');
  assert.match(health.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const api = await get('/api/v1/nothing');
  assert.equal(api.status, 401);
  const missing = await get('/no/such/page');
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /<h1>Not found<\/h1>/);
});

test('the stylesheet and script are served with their types, an ETag and 304 on revalidation', async () => {
  const css = await get('/static/app.css');
  assert.equal(css.status, 200);
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.match(await css.text(), /:focus-visible/);
  const js = await get('/static/app.js');
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const etag = js.headers.get('etag') ?? '';
  assert.ok(etag !== '');
  assert.equal((await get('/static/app.js', { 'if-none-match': etag })).status, 304);
});

test('signed-in pages redirect anonymous visitors to /login?next=', async () => {
  const r = await get('/?x=1');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2F%3Fx%3D1');
  const login = await (await get('/login?next=%2Fqueue')).text();
  assert.match(login, /name="next" value="\/queue"/);
  // Only local paths are honoured.
  assert.match(await (await get('/login?next=//evil.example')).text(), /name="next" value="\/"/);
});

test('a form post without the CSRF token, with a wrong one, or from another site is refused with 403', async () => {
  const cookie = `iam_jit_session=${alice.sessionToken}`;
  const page = await (await get('/no/such/page', { cookie })).text();
  const csrf = csrfOf(page);
  const cases: [Record<string, string>, Record<string, string>, RegExp][] = [
    [{}, { cookie }, /missing or wrong CSRF token/],
    [{ csrf: `${csrf}x` }, { cookie }, /missing or wrong CSRF token/],
    [{ csrf }, { cookie, origin: 'https://evil.example' }, /origin not allowed/],
    [{ csrf }, { cookie, 'sec-fetch-site': 'cross-site' }, /cross-site request/],
    // Another session's token does not fit this session.
    [{ csrf: 'A'.repeat(43) }, { cookie }, /missing or wrong CSRF token/],
  ];
  for (const [form, headers, reason] of cases) {
    const r = await post('/logout', form, headers);
    assert.equal(r.status, 403);
    const html = await r.text();
    assert.match(html, /<h1>Form refused<\/h1>/);
    assert.match(html, reason);
    assert.match(html, /CSRF/);
  }
  // Still signed in: none of those logged alice out.
  assert.equal((await get('/no/such/page', { cookie })).status, 404);
  assert.match(await (await get('/no/such/page', { cookie })).text(), /Signed in as/);
});

test('logout with the token (Origin null, as browsers send under no-referrer) ends the session', async () => {
  const s = await seedUser(database, { id: 'email:lou@x.com' });
  const cookie = `iam_jit_session=${s.sessionToken}`;
  const csrf = csrfOf(await (await get('/no/such/page', { cookie })).text());
  const r = await post('/logout', { csrf }, { cookie, origin: 'null', 'sec-fetch-site': 'same-origin' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login');
  assert.match(r.headers.getSetCookie().find((c) => c.startsWith('iam_jit_session=')) ?? '', /Max-Age=0/);
  const me = await fetch(`${server.url}/api/v1/users/me`, { headers: { cookie } });
  assert.equal(me.status, 401);
});
