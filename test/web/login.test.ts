// Sign-in and sign-out in a real browser (Debian's Chromium): the login form, the dev-mode link, the confirmation
// page, landing on the page asked for, logout by POST; axe-core on each page; screenshots under test-results/web/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  checkPage,
  launchBrowser,
  newSession,
  screenshot,
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

test('login: email → dev-mode link → confirm → the page asked for; logout ends the session', async () => {
  const { page, errors, context } = await newSession(browser, world);
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/');
  await checkPage(page, 'login');

  await page.getByLabel('Email address').fill('alice@x.com');
  await page.getByRole('button', { name: 'Send sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await checkPage(page, 'login-sent');

  await page.getByRole('link', { name: 'open the sign-in link' }).click();
  assert.match(new URL(page.url()).pathname, /^\/login\/callback$/);
  await checkPage(page, 'login-callback');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  assert.match(await page.getByRole('status').first().innerText(), /Signed in as alice@x.com/);
  await page.getByRole('heading', { name: 'My requests' }).waitFor();
  assert.deepEqual(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts(), [
    'My requests',
    'New request',
    'Grants',
    'Settings',
  ]);
  await checkPage(page, 'my-requests-empty');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((u) => u.pathname === '/login');
  assert.match(await page.getByRole('status').first().innerText(), /signed out/);
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(errors, [], 'no console errors (CSP violations show up here)');
  await context.close();
});

test('an approver sees Queue in the navigation; sign-in returns to ?next=', async () => {
  const { page, errors, context } = await signIn(browser, world, 'bob@x.com', { next: '/?from=test' });
  assert.equal(new URL(page.url()).search, '?from=test');
  assert.deepEqual(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts(), [
    'My requests',
    'New request',
    'Queue',
    'Grants',
    'Settings',
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript: the editor shows every policy form and the Review button renders the risk review', async () => {
  const { page, context } = await signIn(browser, world, 'alice@x.com', { javaScript: false });
  await page.goto('/requests/new');
  assert.equal(await page.getByLabel('Search actions').isVisible(), false, 'the picker needs scripts');
  assert.equal(await page.getByLabel('Policy JSON').isVisible(), true);
  await page.getByLabel(/Spoke/).check();
  await page.getByLabel('Actions', { exact: true }).fill('iam:ListRoles');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.locator('#review-pane .score').waitFor();
  assert.match(await page.locator('#review-pane').innerText(), /Risk factors[\s\S]*Validation findings/);
  assert.equal(await page.getByLabel('Actions', { exact: true }).inputValue(), 'iam:ListRoles');
  // axe-core needs timers, which a page without JavaScript does not run; the same markup is checked with scripts on.
  await screenshot(page, 'new-request-no-js');
  await context.close();
});
