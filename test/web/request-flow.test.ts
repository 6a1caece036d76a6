// The whole request flow in a real browser, a requester and an approver in two browser contexts: sign in by magic
// link, draft with the action picker, watch the live risk review, submit, request changes, resubmit, approve, see
// the grant active (provisioned into the local AWS emulator) with its credentials snippet, revoke. A form post
// without the CSRF token is refused. axe-core runs on every page; screenshots go to test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ACCOUNT,
  checkPage,
  launchBrowser,
  type Session,
  signIn,
  startWebWorld,
  type WebWorld,
} from './harness.ts';

let world: WebWorld;
let browser: Browser;

before(async () => {
  world = await startWebWorld();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await world?.close();
});

/** Reloads `page` until `check` passes (at most ~20 s: provisioning and revocation run as jobs). */
async function reloadUntil(page: Page, check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** The text of the review pane once it shows a score. */
async function reviewScore(page: Page): Promise<string> {
  const pane = page.locator('#review-pane');
  await pane.locator('.score').waitFor();
  return pane.innerText();
}

test('requester and approver: draft, review, submit, request changes, resubmit, approve, use, revoke', async () => {
  const alice: Session = await signIn(browser, world, 'alice@x.com');
  const bob: Session = await signIn(browser, world, 'bob@x.com');
  const a = alice.page;
  const b = bob.page;

  // Draft with the action picker; the review pane follows the policy as it changes.
  await a.getByRole('link', { name: 'New request', exact: true }).first().click();
  await a.getByRole('heading', { name: 'New access request' }).waitFor();
  await a.getByLabel(/Spoke/).check();
  await a.getByLabel('Search actions').fill('iam listroles');
  await a.getByRole('button', { name: 'iam:ListRoles', exact: true }).click();
  assert.equal(await a.getByLabel('Actions', { exact: true }).inputValue(), 'iam:ListRoles');
  const firstReview = await reviewScore(a);
  assert.match(firstReview, /Risk factors/);
  assert.match(firstReview, /Validation findings/);
  await a.getByLabel('Search actions').fill('iam:PassRole');
  await a.getByRole('button', { name: 'iam:PassRole', exact: true }).click();
  // Adding iam:PassRole raises the live score (permissions management on IAM).
  await a.locator('#review-pane', { hasText: /PassRole/ }).waitFor();
  const scoreOf = (text: string) => Number(/^(\d+)/m.exec(text)?.[1]);
  const before = scoreOf(firstReview);
  const afterScore = scoreOf(await a.locator('#review-pane .score').innerText());
  assert.ok(afterScore > before, `live score ${before} → ${afterScore}`);
  assert.match(await a.locator('#review-status').innerText(), new RegExp(`Risk score ${afterScore}/10`));
  await a.getByLabel('Duration (hours)').fill('1');
  await a.getByLabel('Justification').fill('inventory the roles');
  await checkPage(a, 'new-request');
  await a.getByRole('button', { name: 'Submit request' }).click();
  await a.getByText('Request submitted.').waitFor();
  const requestUrl = new URL(a.url()).pathname;
  assert.match(requestUrl, /^\/requests\/req_/);
  await a.getByRole('heading', { name: 'inventory the roles' }).waitFor();
  await checkPage(a, 'request-pending-requester');

  // A form post without the CSRF token, from the signed-in browser itself, is refused.
  const forged = await a.request.post(`${requestUrl}/comment`, { form: { body: 'no token' } });
  assert.equal(forged.status(), 403);
  assert.match(await forged.text(), /Form refused/);

  // The approver's queue, oldest first, one click into the detail; changes requested.
  await b.goto('/queue');
  await b.getByRole('link', { name: 'inventory the roles' }).waitFor();
  await checkPage(b, 'queue');
  await b.getByRole('link', { name: 'inventory the roles' }).click();
  await b.getByRole('heading', { name: 'Your actions' }).waitFor();
  await checkPage(b, 'request-pending-approver');
  await b.getByLabel('What should change?').fill('drop iam:PassRole, read only please');
  await b.getByRole('button', { name: 'Request changes' }).click();
  await b.getByText('Changes requested.').waitFor();

  // The requester revises: the editor starts from the current policy; the live review shows the new score.
  await a.reload();
  await a.getByText('drop iam:PassRole, read only please').waitFor();
  await a.getByRole('link', { name: 'Revise and resubmit' }).click();
  await a.getByLabel('Pick the actions I need').check();
  await a.getByLabel('Actions', { exact: true }).fill('iam:ListRoles\niam:GetRole');
  await a.getByLabel('Read-only (List and Read actions only)').check();
  await a.getByLabel('What changed (optional)').fill('removed PassRole');
  await a.locator('#review-pane', { hasText: /read-only/ }).waitFor();
  await checkPage(a, 'resubmit');
  await a.getByRole('button', { name: 'Resubmit' }).click();
  await a.getByText('Resubmitted for approval.').waitFor();
  const diff = await a.locator('.diff').innerText();
  assert.match(diff, /Revision 1 → 2/);
  assert.match(diff, /iam:GetRole/);
  assert.match(diff, /iam:PassRole/);

  // The approver approves revision 2; the grant is provisioned into the emulator and becomes active.
  await b.reload();
  await b.getByRole('button', { name: 'Approve' }).click();
  await b.getByText('Approved.').waitFor();
  await reloadUntil(
    a,
    async () => (await a.locator('.badge', { hasText: /^active$/ }).count()) >= 2,
    'the grant',
  );
  const page = await a.locator('main').innerText();
  assert.match(page, /iam-jit creds grt_/);
  assert.match(page, new RegExp(`\\[profile iam-jit-${ACCOUNT}\\]`));
  assert.match(page, /credential_process = iam-jit creds grt_/);
  assert.match(page, /eval "\$\(iam-jit creds grt_\w+ --format env\)"/);
  assert.match(page, /\d+ min \d+ s left|\d+ h \d+ min \d+ s left/, 'app.js ticks the countdown');
  assert.doesNotMatch(page, /SecretAccessKey|aws_secret_access_key|SessionToken/);
  await checkPage(a, 'request-active');

  // The approver extends the grant by an hour (within the account's 4 h).
  await b.reload();
  await b.getByLabel('Extend by (hours)').fill('1');
  await b.getByLabel('Reason for extending').fill('one more hour for the report');
  await b.getByRole('button', { name: 'Extend' }).click();
  await b.getByText('Extended by 1 h.').waitFor();
  await checkPage(b, 'request-active-approver');

  // Console sign-in (through the fake federation endpoint) and revocation.
  await a.getByRole('button', { name: 'Open the AWS console' }).click();
  const consoleLink = a.getByRole('link', { name: /Open the AWS console for/ });
  assert.match(
    (await consoleLink.getAttribute('href')) ?? '',
    /^https:\/\/signin\.test\/federation\?Action=login/,
  );
  await a.goBack();
  await a.getByLabel('Reason for revoking').fill('done with the inventory');
  await a.getByRole('button', { name: 'Revoke access' }).click();
  await a
    .getByText(/Revoking/)
    .first()
    .waitFor();
  await reloadUntil(
    a,
    async () => (await a.locator('.badge', { hasText: /^revoked$/ }).count()) >= 2,
    'revocation',
  );
  assert.match(await a.locator('main').innerText(), /done with the inventory/);
  await checkPage(a, 'request-revoked');

  await a.goto('/');
  await a.getByRole('link', { name: 'inventory the roles' }).waitFor();
  await checkPage(a, 'my-requests');

  // Narrow screens: the same pages, one column.
  await a.setViewportSize({ width: 390, height: 844 });
  await a.goto(requestUrl);
  await checkPage(a, 'request-revoked-mobile');
  await a.goto('/requests/new');
  await checkPage(a, 'new-request-mobile');

  assert.deepEqual(alice.errors, [], 'requester: no console errors (CSP violations show up here)');
  assert.deepEqual(bob.errors, [], 'approver: no console errors');
  assert.deepEqual(world.serverErrors, []);
  await alice.context.close();
  await bob.context.close();
});
