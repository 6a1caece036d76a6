// The admin-side pages over a real socket without a browser: the audit page reports a tampered chain's first bad
// seq, unknown accounts and webhooks answer the 404 page, the show-once pages never show another session's secret,
// the grants page without provisioning, and every admin-side form is CSRF-checked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { ONCE_COOKIE } from '../../src/web/once-cookie.ts';
import { startTestServer, type TestServer } from '../http/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

let server: TestServer;
let admin: SeededUser;
let alice: SeededUser;
let database: Database;
let dispose: () => Promise<void>;

before(async () => {
  const opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  dispose = opened.dispose;
  database = opened.database;
  server = await startTestServer(opened.database, { env: { IAM_JIT_SECRET_KEY: 'c'.repeat(64) } });
  admin = await seedUser(database, { id: 'email:admin@x.com', roles: ['admin'] });
  alice = await seedUser(database, { id: 'email:alice@x.com' });
});
after(async () => {
  await server.close();
  await dispose();
});

const cookieOf = (user: SeededUser) => `iam_jit_session=${user.sessionToken}`;

const get = (path: string, user: SeededUser, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { cookie: cookieOf(user), ...headers }, redirect: 'manual' });

const post = (path: string, user: SeededUser, form: Record<string, string>, cookie = cookieOf(user)) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: server.url },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });

async function csrfFor(user: SeededUser): Promise<string> {
  const html = await (await get('/settings/tokens', user)).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'the page has a CSRF field');
  return token;
}

test('the audit page shows OK for an intact chain and the first bad seq once a row is edited', async () => {
  for (const id of ['111111111111', '222222222222', '333333333333'])
    await server.services.accounts.create({ id, name: `Account ${id}`, environment: 'dev' }, admin.user.id);
  const ok = await (await get('/admin/audit?verify=1', admin)).text();
  const head = /<span class="badge badge-ok">OK<\/span> (\d+) events verified; head seq (\d+)/.exec(ok);
  assert.ok(head, 'the chain verifies');
  assert.equal(head[1], head[2]);

  const created = await server.services.audit.list({ action: 'account.created' });
  const victim = created.events[1]?.seq ?? 0;
  await sql`update audit_events set data = ${'{"name":"tampered"}'} where seq = ${victim}`.execute(
    database.db,
  );
  const broken = await get('/admin/audit?verify=1&action=account.created', admin);
  assert.equal(broken.status, 200);
  const html = await broken.text();
  assert.match(
    html,
    new RegExp(
      `BROKEN</span> first bad seq <strong>${victim}</strong>: hash does not match the event&#39;s contents\\.`,
    ),
  );
  // Verification keeps the filters in its link.
  assert.match(html, /href="\/admin\/audit\?action=account.created&amp;verify=1"/);
});

test('unknown accounts and webhooks answer the HTML 404 page with the service message', async () => {
  const account = await get('/admin/accounts/999999999999', admin);
  assert.equal(account.status, 404);
  assert.match(await account.text(), /account 999999999999 not found/);
  const webhook = await get('/admin/webhooks/whk_nope', admin);
  assert.equal(webhook.status, 404);
  assert.match(await webhook.text(), /webhook whk_nope not found/);
});

test("a minted token's show-once cookie reveals nothing to another session, and nothing twice", async () => {
  const minted = await post('/settings/tokens', alice, { csrf: await csrfFor(alice), label: 'ci' });
  assert.equal(minted.status, 303);
  assert.equal(minted.headers.get('location'), '/settings/tokens/created');
  const once = minted.headers.getSetCookie().find((c) => c.startsWith(`${ONCE_COOKIE}=`)) ?? '';
  assert.match(once, /Path=\/settings\/tokens\/created/);
  const sealed = once.split(';')[0] ?? '';

  // The admin's session cannot open alice's sealed token.
  const stolen = await get('/settings/tokens/created', admin, { cookie: `${cookieOf(admin)}; ${sealed}` });
  assert.match(await stolen.text(), /<h1>Token no longer shown<\/h1>/);

  const shown = await get('/settings/tokens/created', alice, { cookie: `${cookieOf(alice)}; ${sealed}` });
  assert.equal(shown.headers.get('cache-control'), 'no-store');
  const token = /<code id="new-token"[^>]*>(iamjit_[^<]+)<\/code>/.exec(await shown.text())?.[1];
  assert.ok(token, 'alice sees her token');
  assert.match(shown.headers.getSetCookie().join('\n'), new RegExp(`${ONCE_COOKIE}=;.*Max-Age=0`));
  const [record] = await server.services.tokens.list(alice.user.id);
  assert.equal(record?.label, 'ci');
});

test('admin-side forms refuse a post without the CSRF token and change nothing', async () => {
  const csrf = await csrfFor(admin);
  const cases: [string, Record<string, string>][] = [
    ['/admin/users', { user_id: 'email:eve@x.com', roles: 'admin' }],
    ['/admin/accounts', { id: '444444444444', name: 'X', environment: 'dev' }],
    ['/admin/webhooks', { url: 'https://hooks.example/x', events: '*' }],
    ['/settings/tokens', { label: 'sneaky' }],
    ['/grants/revoke', { grant_id: 'grt_x', reason: 'x' }],
  ];
  for (const [path, form] of cases) {
    const r = await post(path, admin, form);
    assert.equal(r.status, 403, path);
    assert.match(await r.text(), /<h1>Form refused<\/h1>/);
  }
  assert.equal(await server.services.users.get('email:eve@x.com'), undefined);
  assert.equal(await server.services.accounts.get('444444444444'), undefined);
  assert.deepEqual(await server.services.webhooks.list(), []);
  assert.equal((await server.services.tokens.list(admin.user.id)).length, 1, 'only the seeded token');
  // With the token the same user post works.
  const created = await post('/admin/users', admin, { csrf, user_id: 'email:eve@x.com', roles: 'requester' });
  assert.equal(created.status, 303);
  assert.deepEqual((await server.services.users.get('email:eve@x.com'))?.roles, ['requester']);
});

test('the grants page says so when provisioning is not configured, and revoke answers its message', async () => {
  const page = await get('/grants', alice);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Provisioning is not configured on this server/);
  const r = await post('/grants/revoke', alice, {
    csrf: await csrfFor(alice),
    grant_id: 'grt_x',
    reason: 'x',
  });
  assert.equal(r.status, 303);
  const flash = await get(r.headers.get('location') ?? '/', alice, {
    cookie: `${cookieOf(alice)}; ${r.headers.getSetCookie()[0]?.split(';')[0] ?? ''}`,
  });
  assert.match(await flash.text(), /provisioning is not configured on this server/);
});

test('admin pages: anonymous visitors sign in first; the report window and audit filters show service refusals', async () => {
  const anonymous = await fetch(`${server.url}/admin/users`, { redirect: 'manual' });
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get('location'), '/login?next=%2Fadmin%2Fusers');
  const reports = await get('/admin/reports?since=2026-02-01&until=2026-01-01', admin);
  assert.equal(reports.status, 400);
  assert.match(await reports.text(), /role="alert">since must be before until</);
  const audit = await get('/admin/audit?limit=5000', admin);
  assert.equal(audit.status, 400);
  assert.match(await audit.text(), /limit must be an integer from 1 to 1000/);
});
