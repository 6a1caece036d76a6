// The admin side of the web UI in a real browser (Debian's Chromium): grants (revoke with a reason), users (add,
// roles, disable), accounts (create, edit), the audit log with its verification, reports (risk chart, CSV
// downloads), API tokens (shown once, working, revoked), and the 403 page for non-admins. Every page gets an
// axe-core check and a screenshot under test-results/web/.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { SIGNATURE_HEADER, verifySignature } from '../../src/notify/signature.ts';
import { call, list } from '../http/harness.ts';
import { ACCOUNT, checkPage, launchBrowser, signIn, startWebWorld, type WebWorld } from './harness.ts';

let world: WebWorld;
let browser: Browser;
/** A local webhook receiver (allow-listed: the SSRF guard refuses loopback otherwise) and what it received. */
let receiver: Server;
let receiverUrl: string;
const received: { signature: string; body: string }[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        signature: String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  world = await startWebWorld({
    // The admin signs in once per test: more sign-in links than the per-address default allows in 15 minutes.
    env: { IAM_JIT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1', IAM_JIT_LOGIN_LIMIT_PER_EMAIL: '50' },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await world?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/**
 * Console errors other than the browser's note on a page answered with one of `statuses` (a refused form or a 403
 * page is such an answer, on purpose). CSP violations and script errors always remain.
 */
function unexpected(errors: readonly string[], ...statuses: number[]): string[] {
  return errors.filter(
    (e) =>
      !statuses.some((s) =>
        e.startsWith(`Failed to load resource: the server responded with a status of ${s} `),
      ),
  );
}

/** Alice requests read-only IAM listing in the spoke, Bob approves; resolves once the grant is active. */
async function activeGrant(): Promise<{ requestId: string; grantId: string }> {
  const submitted = await call(world, 'POST', '/api/v1/requests', {
    token: world.alice.token,
    body: {
      account_ids: [ACCOUNT],
      actions: ['iam:ListRoles'],
      justification: 'inventory the roles',
      duration_hours: 1,
    },
  });
  assert.equal(submitted.status, 201, submitted.text);
  const requestId = String(submitted.body.request?.id);
  const approved = await call(world, 'POST', `/api/v1/requests/${requestId}/approve`, {
    token: world.bob.token,
    body: {},
  });
  assert.equal(approved.status, 200, approved.text);
  // Provisioning runs as a job right after the approval commits; bounded wait for it.
  for (let i = 0; i < 100; i++) {
    const grants = await call(world, 'GET', `/api/v1/grants?request_id=${requestId}`, {
      token: world.alice.token,
    });
    const grant = list(grants.body.items)[0];
    if (grant !== undefined && String(grant.status) === 'active')
      return { requestId, grantId: String(grant.id) };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`request ${requestId} never became active`);
}

test('grants: an approver sees the grant under its account and revokes it with a reason', async () => {
  const { grantId } = await activeGrant();
  const { page, errors, context } = await signIn(browser, world, 'bob@x.com');
  await page.goto('/grants');
  await page.getByRole('heading', { name: /^Spoke/ }).waitFor();
  const row = page.locator(`tr[data-grant="${grantId}"]`);
  assert.match(await row.innerText(), /alice@x\.com/);
  assert.match(await row.innerText(), /active/);
  assert.match(await row.innerText(), /expiring soon/, 'a one-hour grant ends within the hour');
  await checkPage(page, 'grants');

  await row.getByText('Revoke', { exact: false }).first().click();
  await row.getByLabel('Reason').fill('done with the inventory');
  await checkPage(page, 'grants-revoke-open');
  await row.getByRole('button', { name: 'Revoke now' }).click();
  await page.waitForURL((u) => u.pathname === '/grants');
  assert.match(
    await page.getByRole('status').first().innerText(),
    new RegExp(`Grant ${grantId} is being revoked`),
  );
  assert.equal(await page.locator(`tr[data-grant="${grantId}"]`).count(), 0, 'no longer listed as active');

  const grant = await world.services.grants?.get({ id: world.admin.user.id, roles: ['admin'] }, grantId);
  assert.ok(grant?.status === 'revoking' || grant?.status === 'revoked', grant?.status);
  assert.equal(grant?.revokedBy, 'email:bob@x.com');
  assert.equal(grant?.revokeReason, 'done with the inventory');
  const audit = await world.services.audit.list({ subject: grantId, action: 'grant.revoke_requested' });
  assert.equal(audit.events[0]?.actor, 'email:bob@x.com');

  // A revoke without a reason is refused by the grant service, and its message is shown.
  const other = await activeGrant();
  await page.goto('/grants');
  await page.locator(`tr[data-grant="${other.grantId}"] summary`).click();
  await page.locator(`tr[data-grant="${other.grantId}"] input[name="reason"]`).evaluate((el) => {
    (el as unknown as { required: boolean }).required = false;
  });
  await page.locator(`tr[data-grant="${other.grantId}"]`).getByRole('button', { name: 'Revoke now' }).click();
  assert.equal(
    await page.getByRole('alert').first().innerText(),
    'reason: required, at most 2000 characters',
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('non-admins get the 403 page on every admin page', async () => {
  const { page, errors, context } = await signIn(browser, world, 'bob@x.com');
  for (const path of [
    '/admin',
    '/admin/users',
    '/admin/accounts',
    '/admin/audit',
    '/admin/reports',
    '/admin/webhooks',
  ]) {
    const response = await page.goto(path);
    assert.equal(response?.status(), 403, path);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Not allowed');
    assert.match(await page.locator('main').innerText(), /admin role required/);
  }
  await checkPage(page, 'admin-403');
  // A form post is refused the same way, and nothing changes.
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const posted = await page.request.post('/admin/users', {
    form: { csrf, user_id: 'email:mallory@x.com', roles: 'admin' },
    headers: { origin: world.url },
  });
  assert.equal(posted.status(), 403);
  assert.equal(await world.services.users.get('email:mallory@x.com'), undefined);
  assert.deepEqual(unexpected(errors, 403), []);
  await context.close();
});

test('admin: users — add, refuse a duplicate, change roles, guard the last admin, disable', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin' });
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
  await checkPage(page, 'admin-home');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await checkPage(page, 'admin-users');

  await page.getByLabel('User id').fill('email:Carol@x.com');
  await page.getByLabel('Display name').fill('Carol');
  await page.getByRole('checkbox', { name: 'approver for the new user' }).check();
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/users');
  assert.match(
    await page.getByRole('status').first().innerText(),
    /Added email:carol@x\.com \(requester, approver\)/,
  );
  let carol = await world.services.users.get('email:carol@x.com');
  assert.deepEqual(carol?.roles, ['requester', 'approver']);
  assert.equal(carol?.displayName, 'Carol');

  await page.getByLabel('User id').fill('email:carol@x.com');
  await page.getByRole('button', { name: 'Add user' }).click();
  assert.equal(await page.getByRole('alert').innerText(), 'user email:carol@x.com already exists');
  assert.equal(
    await page.getByLabel('User id').inputValue(),
    'email:carol@x.com',
    'the form keeps what was typed',
  );

  const row = page.locator('tr[data-user="email:carol@x.com"]');
  await row.getByRole('checkbox', { name: 'admin for email:carol@x.com' }).check();
  await row.getByRole('checkbox', { name: 'requester for email:carol@x.com' }).uncheck();
  await row.getByRole('button', { name: 'Save roles of email:carol@x.com' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/users');
  carol = await world.services.users.get('email:carol@x.com');
  assert.deepEqual(carol?.roles, ['approver', 'admin']);

  // Disable carol: the last-admin guard still holds for admin@x.com alone.
  await page
    .locator('tr[data-user="email:carol@x.com"]')
    .getByRole('button', { name: 'Disable email:carol@x.com' })
    .click();
  await page.waitForURL((u) => u.pathname === '/admin/users');
  assert.match(await page.getByRole('status').first().innerText(), /Disabled email:carol@x\.com/);
  assert.equal((await world.services.users.get('email:carol@x.com'))?.enabled, false);
  assert.match(await page.locator('tr[data-user="email:carol@x.com"]').innerText(), /disabled/);

  const me = page.locator('tr[data-user="email:admin@x.com"]');
  await me.getByRole('checkbox', { name: 'admin for email:admin@x.com' }).uncheck();
  await me.getByRole('button', { name: 'Save roles of email:admin@x.com' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/users');
  assert.equal(
    await page.getByRole('alert').first().innerText(),
    'cannot remove the admin role from the last enabled admin',
  );
  assert.deepEqual((await world.services.users.get('email:admin@x.com'))?.roles, ['admin']);
  const audit = await world.services.audit.list({ subject: 'email:carol@x.com' });
  assert.deepEqual(
    audit.events.map((e) => [e.action, e.actor]),
    [
      ['user.created', 'email:admin@x.com'],
      ['user.updated', 'email:admin@x.com'],
      ['user.updated', 'email:admin@x.com'],
    ],
    'every change audited as the admin who made it',
  );
  await checkPage(page, 'admin-users-after');
  assert.deepEqual(unexpected(errors, 409), []);
  await context.close();
});

test('admin: accounts — create, a refusal keeps the form, edit approvers and quorum (audited)', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin/accounts' });
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  assert.match(await page.locator(`tr[data-account="${ACCOUNT}"]`).innerText(), /bob@x\.com/);
  await checkPage(page, 'admin-accounts');

  await page.getByRole('link', { name: 'New account' }).click();
  await page.getByLabel('AWS account id').fill('4444-5555-6666');
  await page.getByLabel('Name', { exact: true }).fill('Analytics');
  await page.getByLabel('Environment').fill('prod');
  await page.getByLabel('Provisioning mode').selectOption('identity_center');
  await page.getByLabel('Approvers').fill('email:bob@x.com\nemail:carol@x.com');
  await page.getByLabel('Approvals required').fill('2');
  await page.getByLabel('Maximum grant duration (hours)').fill('2');
  await page.getByLabel('Allowed services').fill('s3, athena');
  await checkPage(page, 'admin-account-new');
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.equal(await page.getByRole('alert').innerText(), 'id: must be a 12-digit AWS account id');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Analytics');
  assert.equal(await page.getByLabel('Approvers').inputValue(), 'email:bob@x.com\nemail:carol@x.com');

  await page.getByLabel('AWS account id').fill('444455556666');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/accounts');
  assert.match(
    await page.getByRole('status').first().innerText(),
    /Registered account 444455556666 \(Analytics\)/,
  );
  let account = await world.services.accounts.get('444455556666');
  assert.equal(account?.provisioningMode, 'identity_center');
  assert.deepEqual(account?.approvers, ['email:bob@x.com', 'email:carol@x.com']);
  assert.equal(account?.requiredApprovals, 2);
  assert.equal(account?.maxDurationHours, 2);
  assert.deepEqual(account?.allowedServices, ['athena', 's3']);
  assert.equal(account?.permissionSetArn, null);
  assert.equal(
    await page.locator('tr[data-account="444455556666"] [data-permission-set]').innerText(),
    'per-grant permission sets',
  );

  await page.getByRole('link', { name: 'Analytics (edit)' }).click();
  await page.getByRole('heading', { name: 'Edit account 444455556666' }).waitFor();
  assert.equal(await page.getByLabel('AWS account id').getAttribute('readonly'), '');
  await page.getByLabel('Approvers').fill('email:bob@x.com');
  await page.getByLabel('Approvals required').fill('1');
  await page.getByLabel('Allowed services').fill('');
  await page.getByLabel('Permission set ARN (identity_center)').fill('arn:aws:iam::444455556666:role/x');
  await page.getByRole('button', { name: 'Save changes' }).click();
  assert.equal(
    await page.getByRole('alert').innerText(),
    'permission_set_arn: must be an IAM Identity Center permission set ARN (arn:aws:sso:::permissionSet/ssoins-…/ps-…)',
  );
  const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
  await page.getByLabel('Permission set ARN (identity_center)').fill(ps);
  await checkPage(page, 'admin-account-edit');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/accounts');
  assert.equal(
    await page.locator('tr[data-account="444455556666"] [data-permission-set]').innerText(),
    `shared permission set ${ps}`,
  );
  account = await world.services.accounts.get('444455556666');
  assert.equal(account?.permissionSetArn, ps);
  assert.deepEqual(account?.approvers, ['email:bob@x.com']);
  assert.equal(account?.requiredApprovals, 1);
  assert.equal(account?.allowedServices, null);
  const audit = await world.services.audit.list({ subject: '444455556666' });
  assert.deepEqual(
    audit.events.map((e) => [e.action, e.actor]),
    [
      ['account.created', 'email:admin@x.com'],
      ['account.updated', 'email:admin@x.com'],
    ],
  );
  assert.deepEqual(unexpected(errors, 400), []);
  await context.close();
});

test('admin: the audit log — filters, keyset pages, and the chain verified OK', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin/audit' });
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await checkPage(page, 'admin-audit');

  await page.getByRole('link', { name: 'Verify the chain' }).click();
  const verdict = await page.locator('.verify-result').innerText();
  const total = (await world.services.audit.verify()) as { ok: true; count: number };
  assert.match(
    verdict,
    new RegExp(`^OK ${total.count} events verified; head seq ${total.count}, hash [0-9a-f]{64}\\.$`),
  );
  await checkPage(page, 'admin-audit-verified');

  await page.getByLabel('Action').fill('account.created');
  await page.getByLabel('Per page').fill('1');
  await page.getByRole('button', { name: 'Filter' }).click();
  const seqs = async () =>
    page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
  const first = await seqs();
  assert.equal(first.length, 1);
  assert.match(await page.locator('tbody tr').innerText(), /account\.created/);
  await page.getByRole('link', { name: 'Next page' }).click();
  const second = await seqs();
  assert.equal(second.length, 1);
  assert.ok((second[0] ?? 0) > (first[0] ?? 0), 'keyset pages move forward');
  assert.equal(new URL(page.url()).searchParams.get('action'), 'account.created', 'filters survive paging');

  await page.goto('/admin/audit?since=yesterday');
  assert.equal(await page.getByRole('alert').innerText(), 'since is not a date');
  assert.deepEqual(unexpected(errors, 400), []);
  await context.close();
});

test('admin: reports — the risk chart and CSV downloads answering text/csv', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin/reports' });
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  const chart = page.getByRole('img', { name: 'Requests by risk score' });
  await chart.waitFor();
  assert.equal(await chart.locator('rect.risk-bar').count(), 10);
  const counts = await chart
    .locator('rect.risk-bar')
    .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-count'))));
  const report = await world.services.reports.riskDistribution({});
  assert.deepEqual(
    counts,
    report.items.filter((r) => r.dimension === 'score').map((r) => r.requests),
  );
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    2,
    'the two requests of the grants test',
  );
  await checkPage(page, 'admin-reports');

  for (const kind of ['grants', 'activity', 'approvals', 'risk-distribution']) {
    const href = await page.getByRole('link', { name: `${kind}.csv` }).getAttribute('href');
    assert.equal(href, `/api/v1/reports/${kind}?format=csv`);
    const response = await page.request.get(href ?? '');
    assert.equal(response.status(), 200, kind);
    assert.match(response.headers()['content-type'] ?? '', /^text\/csv/);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    if (kind === 'grants') assert.equal(rows.length, 2);
    if (kind === 'risk-distribution') assert.equal(rows.filter((r) => r.dimension === 'score').length, 10);
  }
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'grants.csv' }).click();
  assert.match((await download).suggestedFilename(), /^iam-jit-grants-\d{4}-\d{2}-\d{2}\.csv$/);

  await page.getByLabel('Since').fill('2020-01-01');
  await page.getByLabel('Until').fill('2020-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  assert.match(await page.locator('main').innerText(), /0 requests in the window/);
  assert.equal(
    await page.getByRole('link', { name: 'grants.csv' }).getAttribute('href'),
    '/api/v1/reports/grants?format=csv&since=2020-01-01&until=2020-02-01',
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('admin: webhooks — create (secret shown once), test ping in the delivery log, pause, rotate, delete', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin/webhooks' });
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  await checkPage(page, 'admin-webhooks-empty');

  await page.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  assert.match(await page.getByRole('alert').innerText(), /^url: refused: /);
  assert.equal(await page.getByLabel('URL').inputValue(), 'http://169.254.169.254/latest/meta-data');

  await page.getByLabel('URL').fill(receiverUrl);
  await page.getByLabel('Description').fill('SIEM');
  await page.getByRole('checkbox', { name: 'All events' }).uncheck();
  await page.getByRole('checkbox', { name: 'request.submitted' }).check();
  await page.getByRole('checkbox', { name: 'grant.revoked' }).check();
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/webhooks/created');
  const secret = await page.locator('#webhook-secret').innerText();
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  await checkPage(page, 'admin-webhook-created');
  const [subscription] = await world.services.webhooks.list();
  assert.equal(subscription?.url, receiverUrl);
  assert.deepEqual(subscription?.events, ['grant.revoked', 'request.submitted']);
  await page.reload();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Secret no longer shown');
  assert.doesNotMatch(await page.content(), new RegExp(secret));

  await page.goto('/admin/webhooks');
  await page.getByRole('link', { name: 'SIEM (delivery log)' }).click();
  await page.getByRole('heading', { name: 'Webhook SIEM' }).waitFor();
  await page.getByRole('button', { name: 'Send a test ping' }).click();
  assert.match(await page.getByRole('status').first().innerText(), /Test ping queued/);
  // The delivery job runs right after the commit; reload the log until it shows (bounded).
  const deliveryText = async () => (await page.locator('tr[data-delivery]').allInnerTexts()).join('\n');
  for (let i = 0; i < 50 && !/delivered/.test(await deliveryText()); i++) {
    await new Promise((r) => setTimeout(r, 100));
    await page.reload();
  }
  const row = page.locator('tr[data-delivery]').first();
  assert.match(await row.innerText(), /ping[\s\S]*delivered[\s\S]*HTTP 200/);
  await checkPage(page, 'admin-webhook-log');
  const ping = received.find((r) => JSON.parse(r.body).type === 'ping');
  assert.ok(ping, 'the receiver got the ping');
  assert.ok(
    verifySignature(secret, ping.body, ping.signature),
    'signed with the secret the page showed once',
  );

  await page.getByRole('button', { name: 'Pause deliveries' }).click();
  assert.match(await page.getByRole('status').first().innerText(), /Deliveries paused/);
  assert.equal((await world.services.webhooks.get(subscription?.id ?? '')).enabled, false);
  await page.getByRole('button', { name: 'Rotate the signing secret' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/webhooks/created');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'New signing secret');
  const rotated = await page.locator('#webhook-secret').innerText();
  assert.match(rotated, /^whsec_/);
  assert.notEqual(rotated, secret);

  await page.goto('/admin/webhooks');
  await page.getByRole('button', { name: `Delete webhook ${subscription?.id}` }).click();
  await page.waitForURL((u) => u.pathname === '/admin/webhooks');
  assert.match(await page.getByRole('status').first().innerText(), /Deleted webhook/);
  assert.deepEqual(await world.services.webhooks.list(), []);
  const audit = await world.services.audit.list({ subject: subscription?.id ?? '' });
  assert.deepEqual(
    audit.events.map((e) => [e.action, e.actor]),
    [
      ['webhook.created', 'email:admin@x.com'],
      ['webhook.tested', 'email:admin@x.com'],
      ['webhook.updated', 'email:admin@x.com'],
      ['webhook.secret_rotated', 'email:admin@x.com'],
      ['webhook.deleted', 'email:admin@x.com'],
    ],
  );
  assert.deepEqual(unexpected(errors, 400), []);
  await context.close();
});

test('settings → API tokens: the raw token is shown once, works against the API, and is revoked', async () => {
  const { page, errors, context } = await signIn(browser, world, 'alice@x.com', { next: '/settings/tokens' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
  await checkPage(page, 'tokens');
  await page.getByLabel('Label').fill('laptop CLI');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.waitForURL((u) => u.pathname === '/settings/tokens/created');
  const token = await page.locator('#new-token').innerText();
  assert.match(token, /^iamjit_[A-Za-z0-9_-]+$/);
  await checkPage(page, 'token-created');
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), token);

  const me = await call(world, 'GET', '/api/v1/users/me', { token });
  assert.equal(me.status, 200, me.text);
  assert.equal(String(me.body.user_id), 'email:alice@x.com');

  await page.reload();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Token no longer shown');
  assert.doesNotMatch(await page.content(), new RegExp(token));
  await checkPage(page, 'token-gone');

  await page.goto('/settings/tokens');
  const row = page.locator('tr', { hasText: 'laptop CLI' });
  assert.match(await row.innerText(), /never|UTC/);
  assert.doesNotMatch(await page.content(), new RegExp(token));
  await row.getByRole('button', { name: 'Revoke laptop CLI' }).click();
  await page.waitForURL((u) => u.pathname === '/settings/tokens');
  assert.match(await page.getByRole('status').first().innerText(), /Token revoked/);
  assert.equal(await page.locator('tr', { hasText: 'laptop CLI' }).count(), 0);
  const refused = await call(world, 'GET', '/api/v1/users/me', { token });
  assert.equal(refused.status, 401);
  assert.equal(String(refused.body.error?.message), 'bearer token not found');
  assert.deepEqual(errors, []);
  await context.close();
});

test('narrow screens: the admin pages fit 390 px (wide tables and the chart scroll inside their box)', async () => {
  const { page, errors, context } = await signIn(browser, world, 'admin@x.com', { next: '/admin' });
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, name] of [
    ['/admin/users', 'admin-users-mobile'],
    ['/admin/accounts', 'admin-accounts-mobile'],
    ['/admin/audit', 'admin-audit-mobile'],
    ['/admin/reports', 'admin-reports-mobile'],
    ['/grants?status=revoked', 'grants-mobile'],
    ['/settings/tokens', 'tokens-mobile'],
  ] as const) {
    await page.goto(path);
    await checkPage(page, name);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(width) <= 390, `${path}: the page is ${width} px wide`);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(world.serverErrors, [], 'no unexpected server errors in the whole suite');
  await context.close();
});
