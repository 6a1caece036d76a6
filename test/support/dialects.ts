// Runs a suite against every dialect (STYLE.md: store tests loop over real SQLite and real Postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../src/store/database.ts';
import { DIALECTS, type DialectName } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { getPostgres, postgresAvailability } from './postgres.ts';

/** What a suite body sees: its dialect, and (from `before` on) a migrated database of its own. */
export interface DialectContext {
  readonly dialect: DialectName;
  /** The suite's database; available inside hooks and tests, not while the suite is being declared. */
  readonly database: Database;
  /** Deletes every row of every table (keeps the schema) — for `beforeEach` in suites that count rows. */
  reset(): Promise<void>;
}

/** Opens a fresh, empty, unmigrated database of `dialect`; `dispose` closes it and removes its files. */
export async function openTestDatabase(
  dialect: DialectName,
): Promise<{ database: Database; url: string; dispose: () => Promise<void> }> {
  if (dialect === 'postgres') {
    const url = await (await getPostgres()).createDatabase();
    const database = createDatabase(url, { poolSize: 4 });
    return { database, url, dispose: () => database.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-sqlite-'));
  const url = `sqlite:${join(dir, 'test.db')}`;
  const database = createDatabase(url);
  return {
    database,
    url,
    dispose: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deletes all rows from every application table (not Kysely's migration bookkeeping). */
export async function resetDatabase(database: Database): Promise<void> {
  const tables = (await database.db.introspection.getTables()).map((t) => t.name);
  if (tables.length === 0) return;
  if (database.dialect === 'postgres') {
    await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} cascade`.execute(database.db);
    return;
  }
  await sql`pragma foreign_keys = off`.execute(database.db);
  try {
    for (const t of tables) await sql`delete from ${sql.table(t)}`.execute(database.db);
  } finally {
    await sql`pragma foreign_keys = on`.execute(database.db);
  }
}

/**
 * Declares `describe('<name> [sqlite]')` and `describe('<name> [postgres]')`, each with its own migrated database.
 * Postgres is started once per test process. Missing Postgres fails under `CI` and is reported (not silently
 * passed) locally.
 */
export function forEachDialect(name: string, body: (ctx: DialectContext) => void): void {
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && postgresAvailability() === 'skip') continue;
    describe(`${name} [${dialect}]`, () => {
      let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
      const ctx: DialectContext = {
        dialect,
        get database() {
          if (opened === undefined) throw new Error('ctx.database is only available inside hooks and tests');
          return opened.database;
        },
        reset: () => resetDatabase(ctx.database),
      };
      before(async () => {
        opened = await openTestDatabase(dialect);
        await migrateToLatest(opened.database.db);
      });
      after(async () => {
        await opened?.dispose();
      });
      body(ctx);
    });
  }
}
