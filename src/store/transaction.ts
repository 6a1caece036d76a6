import type { Kysely, Transaction } from 'kysely';
import { publishCommitted } from './audit-commit.ts';

/**
 * Runs `fn` inside one database transaction: committed when `fn` resolves, rolled back when it throws
 * (the error is rethrown). Called with a transaction already open, `fn` joins it instead of nesting.
 * Keep network I/O out of `fn` (STYLE.md): the transaction holds locks (on SQLite, the only writer).
 * After a commit, the audit events appended through `createAuditLog(tx)` go to the `onAuditCommitted` listeners.
 */
export async function withTransaction<D, T>(
  db: Kysely<D> | Transaction<D>,
  fn: (tx: Transaction<D>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<D>);
  let opened: Transaction<D> | undefined;
  const result = await db.transaction().execute((tx) => {
    opened = tx;
    return fn(tx);
  });
  if (opened !== undefined) publishCommitted(db, opened);
  return result;
}
