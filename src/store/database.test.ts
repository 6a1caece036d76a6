import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, type Migration, sql } from 'kysely';
import { forEachDialect, openTestDatabase } from '../../test/support/dialects.ts';
import { cacheStatements, createDatabase, parseDatabaseUrl, redactUrl } from './database.ts';
import { migrateToLatest, migrationStatus } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { withTransaction } from './transaction.ts';

test('parseDatabaseUrl: sqlite forms, bare paths, postgres, and rejections', () => {
  assert.deepEqual(parseDatabaseUrl('sqlite:./data/iam-jit.db'), {
    dialect: 'sqlite',
    filename: './data/iam-jit.db',
  });
  assert.deepEqual(parseDatabaseUrl('sqlite:///var/lib/iam-jit.db'), {
    dialect: 'sqlite',
    filename: '/var/lib/iam-jit.db',
  });
  assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', filename: ':memory:' });
  assert.deepEqual(parseDatabaseUrl('./x.db'), { dialect: 'sqlite', filename: './x.db' });
  assert.deepEqual(parseDatabaseUrl('postgres://u:p@db:5432/iam'), {
    dialect: 'postgres',
    connectionString: 'postgres://u:p@db:5432/iam',
  });
  assert.equal(parseDatabaseUrl('postgresql://db/iam')?.dialect, 'postgres');
  assert.equal(parseDatabaseUrl('mysql://db/iam'), undefined);
  assert.equal(parseDatabaseUrl('sqlite:'), undefined);
  assert.equal(parseDatabaseUrl('  '), undefined);
  assert.throws(
    () => createDatabase('mysql://root:hunter2@db/iam'),
    (e: Error) => {
      assert.match(e.message, /unsupported database URL/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    },
  );
});

test('redactUrl hides the password only', () => {
  assert.equal(redactUrl('postgres://iam:s3cret@db:5432/iam'), 'postgres://iam:***@db:5432/iam');
  assert.equal(redactUrl('postgres://db/iam'), 'postgres://db/iam');
});

test('sqlite file: directory created, WAL, foreign keys and busy timeout on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-db-'));
  const database = createDatabase(`sqlite:${join(dir, 'nested', 'iam-jit.db')}`);
  try {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    assert.equal(mode.rows[0]?.journal_mode, 'wal');
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
    assert.equal(fk.rows[0]?.foreign_keys, 1);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(database.db);
    assert.equal(busy.rows[0]?.timeout, 5000);
    assert.ok(existsSync(join(dir, 'nested', 'iam-jit.db')));
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration names are dated and listed in order', () => {
  const names = Object.keys(MIGRATIONS);
  assert.ok(names.length > 0);
  for (const n of names) assert.match(n, /^\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9-]+$/);
  assert.deepEqual(names, [...names].sort());
});

forEachDialect('migrations', (ctx) => {
  test('every migration applied once; a second run applies nothing', async () => {
    // forEachDialect already migrated; running again must be a no-op.
    assert.deepEqual(await migrateToLatest(ctx.database.db), []);
    const status = await migrationStatus(ctx.database.db);
    assert.deepEqual(status, { applied: Object.keys(MIGRATIONS), pending: [] });
  });

  test('the schema has the identity tables with their columns', async () => {
    const tables = await ctx.database.db.introspection.getTables();
    const byName = new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
    assert.deepEqual(byName.get('users'), [
      'created_at',
      'display_name',
      'enabled',
      'id',
      'is_admin',
      'is_approver',
      'is_requester',
      'updated_at',
    ]);
    for (const t of ['api_tokens', 'sessions', 'magic_links', 'idempotency_keys', 'rate_limits'])
      assert.ok(byName.has(t), `missing table ${t}`);
  });

  test('foreign keys cascade from users to tokens', async () => {
    const db = ctx.database.db;
    const now = new Date().toISOString();
    await db
      .insertInto('users')
      .values({
        id: 'email:fk@x.com',
        display_name: 'fk',
        is_requester: 1,
        is_approver: 0,
        is_admin: 0,
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('api_tokens')
      .values({
        token_hash: 'h-fk',
        user_id: 'email:fk@x.com',
        label: null,
        created_at: now,
        last_used_at: null,
      })
      .execute();
    await assert.rejects(
      db
        .insertInto('api_tokens')
        .values({
          token_hash: 'h-orphan',
          user_id: 'email:nobody@x.com',
          label: null,
          created_at: now,
          last_used_at: null,
        })
        .execute(),
    );
    await db.deleteFrom('users').where('id', '=', 'email:fk@x.com').execute();
    assert.equal(
      await db
        .selectFrom('api_tokens')
        .select('token_hash')
        .where('token_hash', '=', 'h-fk')
        .executeTakeFirst(),
      undefined,
    );
  });

  test('ping answers true', async () => {
    assert.equal(await ctx.database.ping(), true);
  });

  if (ctx.dialect === 'postgres') {
    test('a pooled connection killed by the server is reported, not fatal, and the next query reconnects', async () => {
      const { url, dispose } = await openTestDatabase('postgres');
      let reported: (e: Error) => void = () => {};
      const seen = new Promise<Error>((resolve) => {
        reported = resolve;
      });
      const database = createDatabase(url, { poolSize: 1, onPoolError: (e) => reported(e) });
      try {
        const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
        await sql`select pg_terminate_backend(${pid.rows[0]?.pid})`.execute(ctx.database.db);
        assert.match((await seen).message, /terminat/i);
        assert.equal(await database.ping(), true);
      } finally {
        await database.close();
        await dispose();
      }
    });
  }

  test('withTransaction commits on success, rolls back on throw, and joins an open transaction', async () => {
    const db = ctx.database.db;
    const row = (id: string) => ({ bucket: id, window_started_at: new Date().toISOString(), hits: 1 });
    await withTransaction(db, async (tx) => {
      await tx.insertInto('rate_limits').values(row('tx-commit')).execute();
    });
    await assert.rejects(
      withTransaction(db, async (tx) => {
        await tx.insertInto('rate_limits').values(row('tx-rollback')).execute();
        await withTransaction(tx, async (inner) => {
          await inner.insertInto('rate_limits').values(row('tx-inner')).execute();
        });
        throw new Error('boom');
      }),
      /boom/,
    );
    const buckets = (
      await db.selectFrom('rate_limits').select('bucket').where('bucket', 'like', 'tx-%').execute()
    ).map((r) => r.bucket);
    assert.deepEqual(buckets, ['tx-commit']);
  });
});

test('ping: true on a live database, false once it cannot be reached', async () => {
  const sqliteDb = await openTestDatabase('sqlite');
  assert.equal(await sqliteDb.database.ping(), true);
  await sqliteDb.dispose();
  const unreachable = createDatabase('postgres://nobody@127.0.0.1:1/none');
  try {
    assert.equal(await unreachable.ping(), false);
  } finally {
    await unreachable.close();
  }
});

forEachDialect('a failing migration', (ctx) => {
  test('is reported by name and later migrations are not applied', async () => {
    const broken: Record<string, Migration> = {
      ...MIGRATIONS,
      '2999-01-01-broken': {
        async up(db: Kysely<unknown>) {
          await sql`create table broken_a (id text primary key)`.execute(db);
          await sql`this is not sql`.execute(db);
        },
      },
      '2999-01-02-after': {
        async up(db: Kysely<unknown>) {
          await sql`create table after_broken (id text primary key)`.execute(db);
        },
      },
    };
    await assert.rejects(migrateToLatest(ctx.database.db, broken), /migration 2999-01-01-broken failed/);
    const names = (await ctx.database.db.introspection.getTables()).map((t) => t.name);
    assert.ok(!names.includes('after_broken'));
  });
});

test('openTestDatabase gives each suite an empty database', async () => {
  const a = await openTestDatabase('sqlite');
  try {
    assert.deepEqual(await a.database.db.introspection.getTables(), []);
  } finally {
    await a.dispose();
  }
});

test('SQLite statements are cached by SQL text, and a busy one is never handed out twice', () => {
  const sqlite = new SqliteDatabase(':memory:');
  cacheStatements(sqlite);
  sqlite.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
  const first = sqlite.prepare('SELECT n FROM t ORDER BY n');
  assert.equal(sqlite.prepare('SELECT n FROM t ORDER BY n'), first);
  const seen: number[] = [];
  for (const row of first.iterate() as Iterable<{ n: number }>) {
    // While `first` is iterating, the same SQL must get a different statement that works on its own.
    const inner = sqlite.prepare('SELECT n FROM t ORDER BY n');
    assert.notEqual(inner, first);
    assert.deepEqual(inner.all(), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    seen.push(row.n);
  }
  assert.deepEqual(seen, [1, 2, 3]);
  sqlite.close();
});
