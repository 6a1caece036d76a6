import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `fn` inside one database transaction: committed when `fn` resolves, rolled back when it throws
 * (the error is rethrown). Called with a transaction already open, `fn` joins it instead of nesting.
 * Keep network I/O out of `fn` (STYLE.md): the transaction holds locks (on SQLite, the only writer).
 */
export async function withTransaction<D, T>(
  db: Kysely<D> | Transaction<D>,
  fn: (tx: Transaction<D>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<D>);
  return db.transaction().execute(fn);
}
