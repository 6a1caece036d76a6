// A separate process appending audit events (run by concurrency.test.ts): `append-worker.ts <db url> <writer> <n>`.
// Prints `ready`, waits for a line on stdin, then runs n appends at once (each in its own transaction; every
// 7th rolls back after appending) and prints the seqs it committed as JSON.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { appendAuditEvent } from '../../src/store/audit-events-repo.ts';
import { createDatabase } from '../../src/store/database.ts';
import { withTransaction } from '../../src/store/transaction.ts';

const [url = '', writer = 'w', countText = '0'] = process.argv.slice(2);
const database = createDatabase(url, { poolSize: 4, busyTimeoutMs: 30_000 });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(lines, 'line');
lines.close();

const committed: { seq: number; i: number }[] = [];
await Promise.all(
  Array.from({ length: Number(countText) }, async (_, i) => {
    try {
      await withTransaction(database.db, async (tx) => {
        const e = await appendAuditEvent(tx, {
          at: new Date(),
          actor: `usr_${writer}`,
          action: 'test.appended',
          subject: null,
          data: { writer, i },
        });
        if (i % 7 === 3) throw new Error('rollback');
        committed.push({ seq: e.seq, i });
      });
    } catch (e) {
      if ((e as Error).message !== 'rollback') throw e;
    }
  }),
);
await database.close();
process.stdout.write(`${JSON.stringify(committed)}\n`);
