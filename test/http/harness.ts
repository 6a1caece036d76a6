// Starts the real HTTP app on a real socket (port 0) over a suite's database, with the real services.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppDeps, type AppServices, createServices } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp, type HttpAppOptions } from '../../src/http/app.ts';
import { type Log, silentLog } from '../../src/http/context.ts';
import type { CallerIdentityVerifier } from '../../src/identity/aws-iam-auth.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { Database } from '../../src/store/database.ts';

/** A running test server; `close` also closes its mailer's SMTP pool. */
export interface TestServer {
  readonly url: string;
  readonly config: Config;
  readonly services: AppServices;
  close(): Promise<void>;
}

/** Options: extra `IAM_JIT_*` env, and fakes for the clock, log, mailer and STS verifier. */
export interface TestServerOptions {
  env?: Record<string, string>;
  clock?: Clock;
  log?: Log;
  mailer?: Mailer;
  verifier?: CallerIdentityVerifier;
  app?: HttpAppOptions;
  /** Provisioning (grants and their jobs), e.g. against the local AWS emulator. */
  provisioning?: AppDeps['provisioning'];
}

/** Starts the app on 127.0.0.1:<free port>; the config's base URL is set to that address. */
export async function startTestServer(
  database: Database,
  options: TestServerOptions = {},
): Promise<TestServer> {
  let fetcher: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  let server: ReturnType<typeof serve> | undefined;
  const { port } = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: (req) => fetcher(req), port: 0, hostname: '127.0.0.1' }, resolve);
  });
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    IAM_JIT_DEV_MODE: 'true',
    IAM_JIT_BASE_URL: url,
    IAM_JIT_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const services = createServices(config, {
    database,
    log: options.log ?? silentLog,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.verifier ? { verifier: options.verifier } : {}),
    ...(options.provisioning ? { provisioning: options.provisioning } : {}),
  });
  const app = createHttpApp(services, config, options.app);
  fetcher = (req) => app.fetch(req);
  return {
    url,
    config,
    services,
    async close() {
      await new Promise<void>((done, fail) => {
        server?.close((e) => (e ? fail(e) : done()));
        (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      });
      await services.mailer.close();
    },
  };
}

/** A parsed JSON body that tests can walk without casts (a missing field reads as undefined at runtime). */
export type Loose = { readonly [key: string]: Loose };

/** A JSON array inside a `Loose` body. */
export function list(value: Loose | undefined): Loose[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value as Loose[];
}

/** `fetch` with JSON body and a bearer token; returns status, headers and the parsed (or raw) body. */
export async function call(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Loose; text: string }> {
  const h: Record<string, string> = { ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (HTML pages, metrics)
  }
  return { status: res.status, headers: res.headers, body: parsed as Loose, text };
}
