// The web UI over a real socket without a browser: security headers, static files, sign-in redirects, the CSRF
// refusal (token, Origin, Fetch-Metadata), logout, the 404 page, and that API answers keep their own headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

test('pages send Strict-Transport-Security only when the base URL is https', async () => {
  assert.equal((await get('/login')).headers.get('strict-transport-security'), null);
  const https = await startTestServer(database, {
    env: { IAM_JIT_SECRET_KEY: 'b'.repeat(64), IAM_JIT_BASE_URL: 'https://jit.example' },
  });
  try {
    const page = await fetch(`${https.url}/login`);
    assert.equal(page.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal(page.headers.get('content-security-policy'), WEB_CSP);
  } finally {
    await https.close();
  }
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

describe('request pages without JavaScript', () => {
  const ACCOUNT = '123456789012';
  let bob: SeededUser;
  let aliceCookie: string;
  let bobCookie: string;
  before(async () => {
    bob = await seedUser(database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    await server.services.accounts.create(
      { id: ACCOUNT, name: 'Dev', environment: 'dev', approvers: [bob.user.id] },
      'system',
    );
    aliceCookie = `iam_jit_session=${alice.sessionToken}`;
    bobCookie = `iam_jit_session=${bob.sessionToken}`;
  });

  const requestForm = (csrf: string, extra: Record<string, string> = {}) => ({
    csrf,
    account_ids: ACCOUNT,
    source: 'actions',
    actions: 's3:GetObject\ns3:ListBucket',
    duration_hours: '2',
    justification: 'read the reports',
    ...extra,
  });

  test('the Review button re-renders the editor with the risk review; the fragment endpoint answers the pane alone', async () => {
    const csrf = csrfOf(await (await get('/requests/new', { cookie: aliceCookie })).text());
    const page = await post('/requests/new', requestForm(csrf, { intent: 'review' }), {
      cookie: aliceCookie,
    });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<h2 id="review-title">Risk review<\/h2><p><span class="score">\d+/);
    assert.match(html, /s3:GetObject\ns3:ListBucket<\/textarea>/, 'the typed values stay');
    const fragment = await post('/requests/new/review', requestForm(''), {
      cookie: aliceCookie,
      'x-csrf-token': csrf,
    });
    assert.equal(fragment.status, 200);
    const text = await fragment.text();
    assert.match(text, /^<h2 id="review-title">Risk review<\/h2>/);
    assert.match(text, /Validation findings/);
    assert.equal(fragment.headers.get('content-security-policy'), WEB_CSP);
  });

  test('submitting creates the request through the service; refusals show its message and keep the form', async () => {
    const csrf = csrfOf(await (await get('/requests/new', { cookie: aliceCookie })).text());
    const refused = await post('/requests/new', requestForm(csrf, { intent: 'submit', account_ids: '' }), {
      cookie: aliceCookie,
    });
    assert.equal(refused.status, 400);
    const html = await refused.text();
    assert.match(html, /role="alert">account_ids: name at least one account</);
    assert.match(html, />read the reports<\/textarea>/);

    const ok = await post('/requests/new', requestForm(csrf, { intent: 'submit' }), { cookie: aliceCookie });
    assert.equal(ok.status, 303);
    const location = ok.headers.get('location') ?? '';
    const id = /^\/requests\/(req_\w+)$/.exec(location)?.[1] ?? '';
    const stored = await server.services.requests.get({ id: alice.user.id, roles: ['requester'] }, id);
    assert.equal(stored.request.justification, 'read the reports');
    assert.equal(stored.request.durationHours, 2);
    assert.deepEqual(stored.revisions[0]?.source, {
      type: 'actions',
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [],
    });
    const flash = ok.headers.getSetCookie().find((c) => c.startsWith('iam_jit_flash=')) ?? '';
    const detail = await (await get(location, { cookie: `${aliceCookie}; ${flash.split(';')[0]}` })).text();
    assert.match(detail, /Request submitted\./);
    assert.match(detail, /<h1>read the reports<\/h1>/);

    // The requester cannot approve their own request: the service's message comes back as an error flash.
    const selfApprove = await post(`${location}/approve`, { csrf }, { cookie: aliceCookie });
    assert.equal(selfApprove.status, 303);
    const errorFlash = selfApprove.headers.getSetCookie().find((c) => c.startsWith('iam_jit_flash=')) ?? '';
    const after = await (
      await get(location, { cookie: `${aliceCookie}; ${errorFlash.split(';')[0]}` })
    ).text();
    assert.match(after, /role="alert">the requester cannot review their own request</);

    // The approver sees it in the queue and approves it.
    const queue = await (await get('/queue', { cookie: bobCookie })).text();
    assert.match(queue, new RegExp(`href="/requests/${id}">read the reports</a>`));
    const bobCsrf = csrfOf(queue);
    const approved = await post(`${location}/approve`, { csrf: bobCsrf }, { cookie: bobCookie });
    assert.equal(approved.status, 303);
    const reread = await server.services.requests.get({ id: alice.user.id, roles: ['requester'] }, id);
    assert.equal(reread.request.status, 'approved');
  });

  test('role and visibility checks come from the services: 403 for the queue, 404 for another user’s request', async () => {
    const queue = await get('/queue', { cookie: aliceCookie });
    assert.equal(queue.status, 403);
    assert.match(await queue.text(), /approver role required/);
    const id = await server.services.requests.submit(
      { id: bob.user.id, roles: bob.user.roles },
      { accountIds: [ACCOUNT], spec: { type: 'actions', actions: ['s3:ListBucket'] }, justification: 'bob' },
    );
    const hidden = await get(`/requests/${id}`, { cookie: aliceCookie });
    assert.equal(hidden.status, 404);
    assert.match(await hidden.text(), new RegExp(`request ${id} not found`));
  });

  test('the action picker searches the IAM catalog, grouped by access level', async () => {
    const r = await get('/requests/new/actions?q=s3:getobject', { cookie: aliceCookie });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { groups: { level: string; actions: { id: string }[] }[] };
    assert.equal(body.groups[0]?.level, 'Read');
    assert.equal(body.groups[0]?.actions[0]?.id, 's3:GetObject');
    assert.equal((await get('/requests/new/actions?q=s3')).status, 303, 'signed-in users only');
  });
});

describe('approver edit, comments and cancel without JavaScript', () => {
  const ACCOUNT = '210987654321';
  let carol: SeededUser;
  let dave: SeededUser;
  before(async () => {
    carol = await seedUser(database, { id: 'email:carol@x.com' });
    dave = await seedUser(database, { id: 'email:dave@x.com', roles: ['approver'] });
    await server.services.accounts.create(
      { id: ACCOUNT, name: 'Ops', environment: 'prod', approvers: [dave.user.id] },
      'system',
    );
  });

  test('an approver narrows the policy (a new revision by them); comments show in the conversation; cancel', async () => {
    const carolActor = { id: carol.user.id, roles: carol.user.roles };
    const id = await server.services.requests.submit(carolActor, {
      accountIds: [ACCOUNT],
      spec: { type: 'actions', actions: ['s3:GetObject', 's3:PutObject'] },
      justification: 'fix the report',
    });
    const daveCookie = `iam_jit_session=${dave.sessionToken}`;
    const editor = await (await get(`/requests/${id}/edit`, { cookie: daveCookie })).text();
    assert.match(editor, /as approver you may narrow the policy/);
    assert.doesNotMatch(editor, /name="justification"/, 'an approver does not rewrite the justification');
    const edited = await post(
      `/requests/${id}/edit`,
      {
        csrf: csrfOf(editor),
        intent: 'submit',
        source: 'actions',
        actions: 's3:GetObject',
        duration_hours: '1',
        comment: 'read is enough',
      },
      { cookie: daveCookie },
    );
    assert.equal(edited.status, 303);
    const detail = await server.services.requests.get(carolActor, id);
    assert.equal(detail.request.currentRevision, 2);
    assert.equal(detail.revisions[1]?.authorId, dave.user.id);
    assert.equal(detail.request.justification, 'fix the report');
    const page = await (await get(`/requests/${id}`, { cookie: daveCookie })).text();
    assert.match(page, /Revision 1 → 2/);
    assert.match(page, /<li class="diff-del">s3:PutObject/);
    assert.match(
      page,
      /dave@x.com changed the policy as approver \(revision 2\) · <time[^>]*>[^<]*<\/time><\/div><div>read is enough<\/div>/,
    );

    const carolCookie = `iam_jit_session=${carol.sessionToken}`;
    const carolPage = await (await get(`/requests/${id}`, { cookie: carolCookie })).text();
    const csrf = csrfOf(carolPage);
    assert.equal(
      (await post(`/requests/${id}/comment`, { csrf, body: 'thanks' }, { cookie: carolCookie })).status,
      303,
    );
    assert.match(
      await (await get(`/requests/${id}`, { cookie: daveCookie })).text(),
      /commented · <time[^>]*>[^<]*<\/time><\/div><div>thanks<\/div>/,
    );
    assert.equal((await post(`/requests/${id}/cancel`, { csrf }, { cookie: carolCookie })).status, 303);
    assert.equal((await server.services.requests.get(carolActor, id)).request.status, 'cancelled');
  });
});
