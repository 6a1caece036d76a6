// The chain stays gap-free and valid under concurrent appends from several connections and processes (issue 7).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { appendAuditEvent, createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createDatabase } from '../../src/store/database.ts';
import { DIALECTS } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { withTransaction } from '../../src/store/transaction.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { postgresAvailability } from '../support/postgres.ts';

const WORKER = join(import.meta.dirname, 'append-worker.ts');

/** Runs `append-worker.ts` in `writers` processes, released together; resolves to each one's committed seqs. */
async function runWorkers(url: string, counts: number[]): Promise<{ seq: number; i: number }[][]> {
  const children = counts.map((n, w) =>
    spawn(process.execPath, ['--import', 'tsx', WORKER, url, `p${w}`, String(n)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((c) => {
    let text = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
    return {
      ready: new Promise<void>((resolve) => {
        const poll = (d: string) => {
          if ((text + d).includes('ready\n')) {
            c.stdout.off('data', poll);
            resolve();
          }
        };
        c.stdout.on('data', poll);
      }),
      done: once(c, 'exit').then(([code]) => {
        assert.equal(code, 0, 'worker failed');
        return JSON.parse(text.slice(text.indexOf('\n') + 1)) as { seq: number; i: number }[];
      }),
    };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const c of children) c.stdin.end('go\n');
  return Promise.all(outputs.map((o) => o.done));
}

function committedCount(n: number): number {
  return Array.from({ length: n }, (_, i) => i).filter((i) => i % 7 !== 3).length;
}

for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && postgresAvailability() === 'skip') continue;
  describe(`audit chain under concurrency [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof openTestDatabase>>;
    before(async () => {
      opened = await openTestDatabase(dialect);
      await migrateToLatest(opened.database.db);
    });
    after(() => opened.dispose());

    test('1,000 appends from 3 processes at once (every 7th rolled back): seqs 1…n without gaps, chain valid', async () => {
      const counts = [334, 333, 333];
      const results = await runWorkers(opened.url, counts);
      const expected = counts.reduce((sum, n) => sum + committedCount(n), 0);
      const seqs = results
        .flat()
        .map((r) => r.seq)
        .sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: expected }, (_, k) => k + 1),
      );
      results.forEach((r, w) => {
        assert.equal(r.length, committedCount(counts[w] ?? 0));
      });
      const result = await verifyAuditChain(createAuditReader(opened.database.db));
      assert.equal(result.ok, true);
      assert.equal(result.ok && result.count, expected);
    });

    if (dialect === 'postgres') {
      test('1,000 appends through two separate Kysely instances on one database', async () => {
        const before = await createAuditReader(opened.database.db).chainState();
        const second = createDatabase(opened.url, { poolSize: 4 });
        try {
          const instances = [opened.database.db, second.db];
          const seqs = await Promise.all(
            Array.from({ length: 1000 }, (_, i) =>
              withTransaction(instances[i % 2] ?? second.db, (tx) =>
                appendAuditEvent(tx, {
                  at: new Date(),
                  actor: 'system',
                  action: 'test.appended',
                  subject: null,
                  data: { i },
                }),
              ).then((e) => e.seq),
            ),
          );
          assert.deepEqual(
            seqs.sort((a, b) => a - b),
            Array.from({ length: 1000 }, (_, k) => before.headSeq + k + 1),
          );
        } finally {
          await second.close();
        }
        const result = await verifyAuditChain(createAuditReader(opened.database.db));
        assert.equal(result.ok && result.count, before.headSeq + 1000);
      });
    }
  });
}
