// A throwaway real Postgres for tests (DESIGN.md §6): initdb into a temp dir, one server per test process,
// a fresh database per suite, stopped and removed when the process exits (also after a failure).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian's `postgresql` package puts the server binaries (override with `IAM_JIT_TEST_PG_BIN`). */
export const PG_BIN = process.env.IAM_JIT_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const DIR_PREFIX = 'iam-jit-pg-';

/** A running throwaway server. */
export interface PostgresServer {
  readonly port: number;
  readonly dir: string;
  /** Creates an empty database and returns its `postgres://` URL. */
  createDatabase(): Promise<string>;
}

/** True when the Postgres binaries are installed. */
export function isPostgresInstalled(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
}

const isRoot = process.getuid?.() === 0;

/** Runs a Postgres binary, as the `postgres` user when we are root (initdb refuses to run as root). */
function runPg(binary: string, args: string[]): void {
  const command = isRoot ? 'runuser' : join(PG_BIN, binary);
  const argv = isRoot ? ['-u', 'postgres', '--', join(PG_BIN, binary), ...args] : args;
  const r = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function stopAndRemove(dir: string): void {
  if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
    try {
      runPg('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone; removing the directory is what matters now.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Removes servers left behind by test processes that were killed before their exit handler ran. */
function reapStale(): void {
  for (const name of readdirSync(tmpdir())) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    stopAndRemove(join(tmpdir(), name));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function start(): Promise<PostgresServer> {
  reapStale();
  const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  process.on('exit', () => stopAndRemove(dir));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAndRemove(dir);
      process.exit(130);
    });
  }
  if (isRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  runPg('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    try {
      runPg('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-o', opts, '-w', 'start']);
      writeFileSync(join(dir, 'port'), String(port));
      return makeServer(dir, port);
    } catch (e) {
      lastError = e; // most likely the port was taken between probing and binding; try another
    }
  }
  throw lastError;
}

function makeServer(dir: string, port: number): PostgresServer {
  let n = 0;
  return {
    port,
    dir,
    async createDatabase() {
      const name = `test_${process.pid}_${++n}`;
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}

let shared: Promise<PostgresServer> | undefined;

/**
 * Starts (once per process) and returns the throwaway server. Throws when the binaries are missing —
 * callers decide whether that is fatal (see `postgresAvailability`).
 */
export function getPostgres(): Promise<PostgresServer> {
  shared ??= start();
  return shared;
}

/**
 * Whether Postgres tests can run: `run` when installed; under `CI` a missing package is an error thrown here;
 * locally it is `skip` with a message printed once to stderr.
 */
export function postgresAvailability(env: NodeJS.ProcessEnv = process.env): 'run' | 'skip' {
  if (isPostgresInstalled()) return 'run';
  const msg = `Postgres binaries not found in ${PG_BIN} (Debian package "postgresql")`;
  if (env.CI) throw new Error(`${msg}: CI must test both dialects; install it (see .ci/run).`);
  if (!warned) {
    warned = true;
    process.stderr.write(`\n*** ${msg}: the Postgres half of the store tests was SKIPPED. ***\n\n`);
  }
  return 'skip';
}
let warned = false;
