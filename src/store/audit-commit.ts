// Post-commit delivery of audit events: `createAuditLog(tx)` notes each event it appends to its transaction, and
// `withTransaction` hands the events of a committed transaction to the listeners registered on its database —
// after the commit, never inside the transaction and never on rollback. Metrics (and anything else that must only
// react to what really happened) observe committed events here instead of hooking into the domain modules.
import type { AuditEvent } from '../audit/audit-event.ts';

/**
 * Told the audit events of one committed transaction, in append (seq) order. Called synchronously right after the
 * commit, before the use case returns; it must not block (start async work and return). A throw is caught and
 * dropped: the change is committed and must not be reported as failed.
 */
export type AuditCommitListener = (events: readonly AuditEvent[]) => void;

// Keyed by object identity: the root Kysely instance (listeners) and the open transaction (appended events).
// Listeners are held weakly: the registering owner keeps the strong reference, so an app that is dropped (tests
// build many per process) stops listening without an explicit unsubscribe.
const listenersByDb = new WeakMap<object, Set<WeakRef<AuditCommitListener>>>();
const appendedByTx = new WeakMap<object, AuditEvent[]>();

/**
 * Registers `listener` for the committed audit events of transactions opened on `db` (the root connection, e.g.
 * `database.db`). The caller must keep a reference to `listener` for as long as it should be called. Returns a
 * function that unregisters it.
 */
export function onAuditCommitted(db: object, listener: AuditCommitListener): () => void {
  let set = listenersByDb.get(db);
  if (set === undefined) {
    set = new Set();
    listenersByDb.set(db, set);
  }
  const ref = new WeakRef(listener);
  set.add(ref);
  return () => {
    set.delete(ref);
  };
}

/** Records that `event` was appended inside the open transaction `tx` (called by `createAuditLog`). */
export function noteAppended(tx: object, event: AuditEvent): void {
  const list = appendedByTx.get(tx);
  if (list === undefined) appendedByTx.set(tx, [event]);
  else list.push(event);
}

/** Hands the events appended in the now-committed transaction `tx` to the listeners of `db` (called once). */
export function publishCommitted(db: object, tx: object): void {
  const events = appendedByTx.get(tx);
  if (events === undefined) return;
  appendedByTx.delete(tx);
  const set = listenersByDb.get(db);
  if (set === undefined) return;
  for (const ref of set) {
    const listener = ref.deref();
    if (listener === undefined) {
      set.delete(ref);
      continue;
    }
    try {
      listener(events);
    } catch {
      // Listeners report their own errors; the transaction is committed whatever they do.
    }
  }
}
