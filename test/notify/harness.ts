// Notification suites: the real app on a real socket with its job runner started, and a local webhook receiver.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppServices, createServices } from '../../src/app.ts';
import type { NotifyOptions } from '../../src/app-notify.ts';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLog } from '../../src/http/context.ts';
import type { Database } from '../../src/store/database.ts';

/** A running server whose job runner is started; `close` stops the runner, the socket and the mailer. */
export interface NotifyServer {
  readonly url: string;
  readonly config: Config;
  readonly services: AppServices;
  close(): Promise<void>;
}

/** Fast retries for tests: a failed delivery is retried within 20 ms instead of seconds. */
export const FAST_RETRY: NotifyOptions = { deliveryBackoff: { baseMs: 10, capMs: 20 } };

/** Starts the app on 127.0.0.1:<free port> (base URL = that address) with `env` and starts its job runner. */
export async function startNotifyServer(
  database: Database,
  { env = {}, notify = FAST_RETRY }: { env?: Record<string, string>; notify?: NotifyOptions } = {},
): Promise<NotifyServer> {
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
    IAM_JIT_SECRET_KEY: 'ab'.repeat(32),
    IAM_JIT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    ...env,
  });
  const services = createServices(config, { database, log: silentLog, notify });
  const app = createHttpApp(services, config);
  fetcher = (req) => app.fetch(req);
  services.jobRunner.start();
  return {
    url,
    config,
    services,
    async close() {
      await services.jobRunner.stop({ graceMs: 2000 });
      await new Promise<void>((done, fail) => {
        server?.close((e) => (e ? fail(e) : done()));
        (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
      });
      await services.mailer.close();
    },
  };
}

/** One request a receiver got. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status the receiver answered. */
  readonly status: number;
}

/** A local HTTP receiver: answers each POST with the next status of `statuses` (then 200), records everything. */
export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Resolves once `count` requests matching `filter` arrived (bounded: rejects after `timeoutMs`). */
  waitFor(count: number, filter?: (r: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1:<free port>. */
export async function startReceiver({ statuses = [] }: { statuses?: number[] } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const queue = [...statuses];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = queue.shift() ?? 200;
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(count, filter = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hits = received.filter(filter);
        if (hits.length >= count) return hits;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`receiver: ${hits.length} of ${count} requests after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `check` every 20 ms until it returns a value other than undefined (bounded by `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
