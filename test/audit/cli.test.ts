// `iam-jit audit verify|export|head` run as a real process against a temp SQLite file configured by env vars.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { appendAuditEvent } from '../../src/store/audit-events-repo.ts';
import { createDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { withTransaction } from '../../src/store/transaction.ts';

const ENTRY = join(import.meta.dirname, 'audit-cli.ts');
// Resolved here: the child runs in the temp dir, where a bare `tsx` would not resolve.
const TSX = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'iam-jit-audit-cli-'));
const url = `sqlite:${join(dir, 'iam-jit.db')}`;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return cliOn(url, ...args);
}

function cliOn(
  databaseUrl: string,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    IAM_JIT_DATABASE_URL: databaseUrl,
    IAM_JIT_SECRET_KEY: '0f'.repeat(32),
  };
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, 'audit', ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function withDb<T>(fn: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const database = createDatabase(url);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

before(async () => {
  await withDb(async (db) => {
    await migrateToLatest(db);
    for (let i = 1; i <= 5; i++)
      await withTransaction(db, (tx) =>
        appendAuditEvent(tx, {
          at: new Date(Date.UTC(2026, 10, i)),
          actor: 'usr_alice',
          action: 'request.submitted',
          subject: `req_${i}`,
          data: { i },
        }),
      );
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('audit verify: exit 0 and the head to anchor when the chain is intact', async () => {
  const head = await withDb((db) => db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow());
  const r = cli('verify');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `audit chain OK: 5 events verified\nhead: seq 5 sha256 ${head.hash}\n`);
  const h = cli('head', '--json');
  assert.equal(h.code, 0, h.stderr);
  assert.deepEqual(
    { ...(JSON.parse(h.stdout) as object), at: undefined },
    { seq: 5, hash: head.hash, at: undefined },
  );
  const anchor = cli('head').stdout.trim();
  assert.equal(anchor, `5:${head.hash}`);
  assert.equal(cli('verify', '--anchor', anchor).code, 0);
  const wrong = cli('verify', '--anchor', `4:${head.hash}`);
  assert.equal(wrong.code, 1);
  assert.equal(
    wrong.stdout,
    'audit chain BROKEN at seq 4: hash differs from the anchored hash: the chain was rewritten\n',
  );
  assert.equal(cli('verify', '--anchor', '5:abc').code, 2);
});

test('audit export --since writes the matching events as JSON lines', () => {
  const r = cli('export', '--since', '2026-11-03');
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number; subject: string; data: unknown });
  assert.deepEqual(
    events.map((e) => [e.seq, e.subject, e.data]),
    [
      [3, 'req_3', { i: 3 }],
      [4, 'req_4', { i: 4 }],
      [5, 'req_5', { i: 5 }],
    ],
  );
  assert.equal(cli('export', '--since', 'yesterday').code, 2);
});

test('audit verify: exit 1 naming the first bad seq after an edit; exit 2 when it cannot check', async () => {
  await withDb((db) => sql`update audit_events set data = ${'{"i":33}'} where seq = 3`.execute(db));
  const r = cli('verify');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "audit chain BROKEN at seq 3: hash does not match the event's contents\n");
  const json = cli('verify', '--json');
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout), {
    ok: false,
    firstBadSeq: 3,
    reason: "hash does not match the event's contents",
  });
  assert.equal(cli('verify', '--to', '2').code, 0);
  assert.equal(cli('verify', '--from', 'x').code, 2);
  const unmigrated = cliOn(`sqlite:${join(dir, 'empty.db')}`, 'verify');
  assert.equal(unmigrated.code, 2);
  assert.match(unmigrated.stderr, /iam-jit migrate/);
});
