import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type AppDeps, createLog, createServices } from './app.ts';
import { SYSTEM_ACTOR } from './audit/audit-event.ts';
import type { Config } from './config/load-config.ts';
import { createHttpApp } from './http/app.ts';
import type { HttpServices, Log } from './http/context.ts';
import { loginUrl } from './http/routes/auth-routes.ts';
import { HOUR } from './lib/clock.ts';
import { type AwsSandbox, startAwsSandbox } from './local-aws-sandbox.ts';
import { createDatabase } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';

/** Where the server writes its human-readable start-up lines (the URL, the dev login link). */
export interface ServerIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A listening iam-jit server. */
export interface RunningServer {
  /** The URL it is reachable at (the base URL, with the real port when port 0 was asked for). */
  readonly url: string;
  readonly config: Config;
  readonly services: HttpServices;
  /** The built-in AWS emulator, when `IAM_JIT_LOCAL_AWS` is on. */
  readonly localAwsUrl: string | undefined;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), closes mail and database. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** How often expired sessions, login links, idempotency keys and rate-limit windows are removed. */
const PRUNE_INTERVAL_MS = HOUR;

/** Dev mode: make sure the bootstrap admin exists and print a one-time sign-in link for it. */
async function bootstrapDevAdmin(services: HttpServices, config: Config, io: ServerIo): Promise<void> {
  const { user, changed } = await services.users.ensureAdmin(`email:${config.auth.adminEmail}`);
  const link = await services.login.requestLink(config.auth.adminEmail, { actor: SYSTEM_ACTOR });
  io.stdout(`dev mode: bootstrap admin ${user.id}${changed ? ' created' : ' exists'}\n`);
  if (link !== undefined)
    io.stdout(
      `dev mode: one-time sign-in link (15 minutes): ${loginUrl(config.server.baseUrl, link.token)}\n`,
    );
  if (config.secretKeyEphemeral)
    io.stdout('dev mode: no IAM_JIT_SECRET_KEY set; using a random key for this process only\n');
}

function withPort(config: Config, port: number): Config {
  if (config.server.port !== 0 || !/:0$/.test(config.server.baseUrl)) return config;
  return {
    ...config,
    server: { ...config.server, port, baseUrl: config.server.baseUrl.replace(/:0$/, `:${port}`) },
  };
}

/**
 * The process's work (DESIGN.md `npm start`): open the database, migrate, build the services and HTTP app, load
 * the `accounts:` section of iam-jit.yaml, create the bootstrap admin in dev mode and print its sign-in link, and listen on `config.server.host:port` (never all
 * interfaces unless configured). Throws when migration fails or the port cannot be bound.
 */
export async function startServer(
  initialConfig: Config,
  { io, log = createLog(initialConfig) }: { io: ServerIo; log?: Log },
): Promise<RunningServer> {
  const database = createDatabase(initialConfig.database.url, {
    onPoolError: (e) => log.warn({ err: e }, 'database connection dropped'),
  });
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) io.stdout(`migrated: ${applied.join(', ')}\n`);
  } catch (e) {
    await database.close();
    throw e;
  }
  let server: ReturnType<typeof serve> | undefined;
  let fetcher: (req: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve(
      { fetch: (req) => fetcher(req), port: initialConfig.server.port, hostname: initialConfig.server.host },
      resolve,
    );
    server.once('error', reject);
  }).catch(async (e: unknown) => {
    await database.close();
    throw e;
  });
  const config = withPort(initialConfig, address.port);
  let sandbox: AwsSandbox | undefined;
  if (config.provisioning?.localAws) {
    sandbox = await startAwsSandbox({ approvers: [`email:${config.auth.adminEmail}`] });
    io.stdout(`local AWS: emulator at ${sandbox.aws.url} (hub ${sandbox.settings.vendingPrincipalArn})\n`);
  }
  const services = createServices(config, { database, log, ...provisioningDeps(config, sandbox) });
  const app = createHttpApp(services, config);
  try {
    if (config.sections.accounts !== undefined) {
      const {
        created,
        updated,
        unchanged,
        kept = [],
      } = await services.accounts.syncFromConfig(config.sections.accounts);
      io.stdout(
        `accounts from iam-jit.yaml: ${created.length} created, ${updated.length} updated, ${unchanged.length} unchanged\n`,
      );
      for (const k of kept) {
        io.stdout(`warning: iam-jit.yaml: account ${k.id} keeps its permission set: ${k.reason}\n`);
        log.warn({ account_id: k.id }, `iam-jit.yaml: account keeps its permission set: ${k.reason}`);
      }
    }
    if (config.devMode) await bootstrapDevAdmin(services, config, io);
    if (sandbox !== undefined) await registerSandboxAccount(services, sandbox, io);
  } catch (e) {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await sandbox?.aws.close();
    await database.close();
    throw e;
  }
  // Requests are answered only once start-up is complete (until then: 503).
  fetcher = (req) => app.fetch(req);
  io.stdout(`iam-jit listening on ${config.server.baseUrl} (bound to ${address.address}:${address.port})\n`);
  // Provisioning, expiry and approval timeouts run from here on (any replica may run any job).
  services.jobRunner?.start();
  await services.startReconciler?.();

  const prune = setInterval(() => {
    const now = services.clock.now();
    Promise.all([
      services.login.pruneExpired(),
      services.idempotency.deleteExpired(now),
      services.rateLimiter.prune(now, HOUR),
    ]).catch((e: unknown) => log.warn({ err: e }, 'pruning expired rows failed'));
  }, PRUNE_INTERVAL_MS);
  prune.unref();

  return {
    url: config.server.baseUrl,
    config,
    services,
    localAwsUrl: sandbox?.aws.url,
    async close({ graceMs = 5000 } = {}) {
      clearInterval(prune);
      await services.jobRunner?.stop({ graceMs });
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
        }, graceMs);
        force.unref();
        (server as { closeIdleConnections?: () => void } | undefined)?.closeIdleConnections?.();
        server?.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await services.mailer.close();
      await sandbox?.aws.close();
      await database.close();
    },
  };
}

/** The provisioning deps of the app: into the sandbox, into AWS (a vending principal is set), or none. */
function provisioningDeps(config: Config, sandbox: AwsSandbox | undefined): Pick<AppDeps, 'provisioning'> {
  if (sandbox !== undefined) return { provisioning: { settings: sandbox.settings, aws: sandbox.grantAws } };
  const p = config.provisioning;
  if (p?.vendingPrincipalArn === undefined) return {};
  return {
    provisioning: {
      settings: {
        vendingPrincipalArn: p.vendingPrincipalArn,
        permissionsBoundaryName: p.permissionsBoundaryName ?? null,
      },
      ...(p.endpoint === undefined ? {} : { endpoint: p.endpoint }),
      maxSockets: config.aws.maxSockets,
    },
  };
}

/** Registers (or re-points, after a restart made new secrets) the sandbox's spoke account. */
async function registerSandboxAccount(
  services: HttpServices,
  sandbox: AwsSandbox,
  io: ServerIo,
): Promise<void> {
  const { account } = sandbox;
  const existing = await services.accounts.get(account.id);
  if (existing === undefined) await services.accounts.create(account, 'system');
  else
    await services.accounts.update(
      account.id,
      { spokeRoleArn: account.spokeRoleArn ?? null, externalId: account.externalId ?? null },
      'system',
    );
  io.stdout(
    `local AWS: account ${account.id} (${account.name}) ${existing === undefined ? 'registered' : 'updated'}\n`,
  );
}

/**
 * Runs the server until SIGINT or SIGTERM (or `until` resolves), then shuts down gracefully. Resolves when closed.
 */
export async function runServer(
  config: Config,
  { io, until }: { io: ServerIo; until?: (server: RunningServer) => Promise<unknown> },
): Promise<void> {
  const server = await startServer(config, { io });
  let onSignal: (() => void) | undefined;
  const signalled = new Promise<void>((resolve) => {
    onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  try {
    await (until ? Promise.race([until(server), signalled]) : signalled);
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    io.stdout('iam-jit: shutting down\n');
    await server.close();
  }
}
