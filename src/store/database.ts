import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db, DialectName } from './db.ts';

/** The default database: one SQLite file next to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/iam-jit.db';

/** A parsed database URL. */
export type DatabaseTarget =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; connectionString: string };

/**
 * Parses `sqlite:<path>` (also `sqlite://<path>`, `sqlite::memory:`), a bare file path, or
 * `postgres://…` / `postgresql://…`. Returns undefined for anything else (e.g. `mysql://…`).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget | undefined {
  const text = url.trim();
  if (text === '') return undefined;
  if (/^postgres(ql)?:\/\//i.test(text)) return { dialect: 'postgres', connectionString: text };
  if (/^sqlite:/i.test(text)) {
    const rest = text.slice('sqlite:'.length).replace(/^\/\//, '');
    return rest === '' ? undefined : { dialect: 'sqlite', filename: rest };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  return { dialect: 'sqlite', filename: text };
}

/** An open database: the Kysely instance, its dialect, and how to close it. */
export interface Database {
  readonly db: Kysely<Db>;
  readonly dialect: DialectName;
  /** True when a trivial query succeeds (for `/readyz`); never throws. */
  ping(): Promise<boolean>;
  /** Closes every connection; the instance is unusable afterwards. */
  close(): Promise<void>;
}

/** Options for `createDatabase`. */
export interface DatabaseOptions {
  /** Postgres pool size per replica (default 10). */
  poolSize?: number;
  /** SQLite: how long a writer waits for another process's lock before SQLITE_BUSY, in ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * Postgres: told about errors on idle pooled connections (server restart, network cut). The pool drops such a
   * connection and the next query opens a new one; without a listener `pg` would crash the process.
   */
  onPoolError?: (error: Error) => void;
}

/**
 * Opens the database named by `url` (see `parseDatabaseUrl`). SQLite files get WAL, a busy timeout and
 * enforced foreign keys, and their directory is created. Postgres uses a `pg` Pool; nothing connects
 * until the first query. Throws Error on an unsupported URL.
 */
export function createDatabase(
  url: string = DEFAULT_DATABASE_URL,
  { poolSize = 10, busyTimeoutMs = 5000, onPoolError = () => {} }: DatabaseOptions = {},
): Database {
  const target = parseDatabaseUrl(url);
  if (target === undefined) throw new Error(`unsupported database URL: ${redactUrl(url)}`);
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.connectionString, max: poolSize });
    pool.on('error', onPoolError);
    const db = new Kysely<Db>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', ping: () => ping(db), close: () => db.destroy() };
  }
  const db = new Kysely<Db>({
    dialect: new SqliteDialect({ database: async () => openSqlite(target.filename, busyTimeoutMs) }),
  });
  return { db, dialect: 'sqlite', ping: () => ping(db), close: () => db.destroy() };
}

async function ping(db: Kysely<Db>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

function openSqlite(filename: string, busyTimeoutMs: number): SqliteDatabase.Database {
  const inMemory = filename === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(filename)), { recursive: true });
  const sqlite = new SqliteDatabase(filename);
  // Foreign keys are off by default in SQLite; WAL lets readers run alongside the single writer.
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  sqlite.pragma('foreign_keys = ON');
  if (!inMemory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  cacheStatements(sqlite);
  return sqlite;
}

/** Prepared statements kept per connection; Kysely prepares every query anew, which costs ~20% of a GET's CPU. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `prepare` reuse statements by SQL text (least recently used out). A cached statement that is still
 * being iterated (`busy`) is not handed out again: the caller gets a fresh one.
 */
export function cacheStatements(sqlite: SqliteDatabase.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  const cached = (source: string): SqliteDatabase.Statement => {
    const hit = cache.get(source);
    if (hit !== undefined && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = prepare(source);
    if (hit === undefined) {
      cache.set(source, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    return statement;
  };
  sqlite.prepare = cached as typeof sqlite.prepare;
}

/** The URL with any password replaced by `***`, safe for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
