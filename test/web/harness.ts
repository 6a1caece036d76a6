// Browser test harness: a real iam-jit server (SQLite, port 0) provisioning into the local AWS emulator, seeded
// users and an account, and Debian's Chromium driven by playwright-core (never a downloaded browser). Helpers sign
// a user in by magic link in their own browser context, save screenshots under test-results/, and run axe-core.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type AppServices, createServices } from '../../src/app.ts';
import { createConsoleFederation } from '../../src/aws/console-federation.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLog } from '../../src/http/context.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from '../grants/harness.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';

/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'web');

/** The account the suites request access to: the emulator's spoke (approver: bob, quorum 1, at most 4 h). */
export const ACCOUNT = SPOKE;

/** Chromium flags for headless runs as root in CI containers. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Stands in for the AWS federation endpoint (the network edge): a sign-in token naming the session's key. */
const fakeFederation = (async (url: string) => {
  const session = JSON.parse(new URL(url).searchParams.get('Session') ?? '{}') as { sessionId?: string };
  return Response.json({ SigninToken: `token-for-${session.sessionId ?? ''}` });
}) as unknown as typeof fetch;

/** A running server with provisioning, its services and seeded users. */
export interface WebWorld {
  readonly url: string;
  readonly config: Config;
  readonly services: AppServices;
  readonly aws: LocalAws;
  /** requester */
  readonly alice: SeededUser;
  /** requester + approver of ACCOUNT */
  readonly bob: SeededUser;
  /** admin */
  readonly admin: SeededUser;
  /** Unexpected server errors logged while the world ran (a test should assert none). */
  readonly serverErrors: string[];
  close(): Promise<void>;
}

/**
 * Starts the world on SQLite: the local AWS emulator (hub + spoke, as the grants suites use it), the real app with
 * provisioning and its job runner on the real clock, on 127.0.0.1:<free port>, in dev mode (sign-in links are shown
 * on the page). Users: alice (requester), bob (requester, approver of ACCOUNT), admin@x.com (admin).
 */
export async function startWebWorld({ env = {} }: { env?: Record<string, string> } = {}): Promise<WebWorld> {
  const opened = await openTestDatabase('sqlite');
  await migrateToLatest(opened.database.db);
  const aws = await startLocalAws({ state: twoAccountState(new Date()) });
  let fetcher: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  let http: ReturnType<typeof serve> | undefined;
  const { port } = await new Promise<AddressInfo>((resolve) => {
    http = serve({ fetch: (req) => fetcher(req), port: 0, hostname: '127.0.0.1' }, resolve);
  });
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    IAM_JIT_DEV_MODE: 'true',
    IAM_JIT_BASE_URL: url,
    IAM_JIT_LOG_LEVEL: 'silent',
    IAM_JIT_LOGIN_LIMIT_PER_IP: '1000',
    ...env,
  });
  const serverErrors: string[] = [];
  const services = createServices(config, {
    database: opened.database,
    log: {
      ...silentLog,
      error: (fields: object, message?: string) => {
        serverErrors.push(`${message ?? ''} ${String((fields as { err?: unknown }).err ?? '')}`);
        console.error('server error:', message, fields);
      },
    },
    provisioning: {
      settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      aws: createGrantAws({ endpoint: aws.url, hubCredentials: HUB_CREDENTIALS, maxAttempts: 1 }),
      federation: createConsoleFederation({
        endpoint: 'https://signin.test/federation',
        fetch: fakeFederation,
      }),
    },
  });
  const app = createHttpApp(services, config);
  fetcher = (req) => app.fetch(req);
  services.jobRunner.start();
  const alice = await seedUser(opened.database, { id: 'email:alice@x.com' });
  const bob = await seedUser(opened.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
  const admin = await seedUser(opened.database, { id: 'email:admin@x.com', roles: ['admin'] });
  await services.accounts.create(
    {
      id: SPOKE,
      name: 'Spoke',
      environment: 'nonprod',
      approvers: [bob.user.id],
      spokeRoleArn: SPOKE_ROLE_ARN,
      externalId: EXTERNAL_ID,
      maxDurationHours: 4,
    },
    'system',
  );
  return {
    url,
    config,
    services,
    aws,
    alice,
    bob,
    admin,
    serverErrors,
    async close() {
      await services.jobRunner.stop();
      await new Promise<void>((done, fail) => {
        http?.close((e) => (e ? fail(e) : done()));
        (http as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      });
      await services.mailer.close();
      await aws.close();
      await opened.dispose();
    },
  };
}

/** Launches Debian's Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`) headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS],
    headless: true,
  });
}

/** A browser context with a page whose console errors (CSP violations included) and page errors are collected. */
export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page exceptions seen so far. */
  readonly errors: string[];
}

/** A fresh context (its own cookies) and page; every console error and page exception is recorded. */
export async function newSession(
  browser: Browser,
  world: Pick<WebWorld, 'url'>,
  { javaScript = true }: { javaScript?: boolean } = {},
): Promise<Session> {
  const context = await browser.newContext({
    baseURL: world.url,
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: javaScript,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Confirmation dialogs (revoke, cancel) are accepted, as the user would.
  page.on('dialog', (d) => void d.accept());
  return { context, page, errors };
}

/**
 * Signs `email` in through the UI in a new context: the login form, the dev-mode link shown on the page, the
 * confirmation button. Returns the session on the page the sign-in lands on (`/` unless `next`). `javaScript: false`
 * browses as a browser without scripts (the pages must still work).
 */
export async function signIn(
  browser: Browser,
  world: Pick<WebWorld, 'url'>,
  email: string,
  { next, javaScript = true }: { next?: string; javaScript?: boolean } = {},
): Promise<Session> {
  const session = await newSession(browser, world, { javaScript });
  const { page } = session;
  await page.goto(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send sign-in link' }).click();
  await page.getByRole('link', { name: 'open the sign-in link' }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return session;
}

/** Saves a full-page screenshot as `test-results/web/<name>.png`; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // From the top, so the sticky review pane sits where a reader first sees it.
  await page.evaluate('window.scrollTo(0, 0)');
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One axe-core violation, as the assertion message shows it. */
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the current page and fails on any violation of impact `serious` or `critical`. The source is
 * evaluated through the DevTools protocol (not a `<script>` tag), so the page's CSP stays as strict as in production.
 */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  // Let live regions settle first (the debounced review refresh), so axe sees the page a reader would.
  await page.waitForTimeout(500);
  await page.waitForFunction('document.querySelector(\'[aria-busy="true"]\') === null');
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: unknown;
      axe: {
        run(
          context: unknown,
          options: object,
        ): Promise<{
          violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    const result = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  const serious = (violations as AxeViolation[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  assert.deepEqual(serious, [], `${label}: axe-core found serious/critical violations`);
}

/** Screenshot + axe check for a page, the two things every page test does. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await assertAccessible(page, name);
}
