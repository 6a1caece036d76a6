import type { AuditEvent, NewAuditEvent, StoredAuditRecord } from './audit-event.ts';

/** Appends to the chain inside the caller's open transaction. Implemented in store/ (`createAuditLog(tx)`). */
export interface AuditLog {
  /**
   * Records `event` as the next link: takes the chain head's row lock until the caller's transaction ends, so
   * appends from any number of processes are gap-free and ordered; a rollback leaves no trace. Throws Error on an
   * invalid event (a bug) and rethrows database errors (the caller's transaction then rolls back).
   * Call it as the transaction's last write: every audited change in the deployment queues on that one lock, and
   * taking it last keeps it short and the lock order the same everywhere (no deadlocks).
   */
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /**
   * Records `events` as consecutive links in their order, with the same guarantees as `append`, in about as many
   * statements as one (for batches, e.g. a thousand grants expiring together). Validates all before writing any.
   */
  appendMany(events: readonly NewAuditEvent[]): Promise<AuditEvent[]>;
}

/** The stored chain head and the highest stored seq, read in one statement (one snapshot). */
export interface AuditChainState {
  /** Seq of the last appended event (0 when none). */
  readonly headSeq: number;
  /** Hash of the last appended event (`GENESIS_HASH` when none). */
  readonly headHash: string;
  /** Highest seq present in the events table, or 0 when it is empty. */
  readonly maxStoredSeq: number;
}

/** Filters for listing and exporting events; all optional, combined with AND. */
export interface AuditFilter {
  /** Events at or after this instant. */
  readonly since?: Date;
  /** Events strictly before this instant. */
  readonly until?: Date;
  readonly actor?: string;
  readonly action?: string;
  readonly subject?: string;
}

/** Read access to the stored events. Implemented in store/ (`createAuditReader(db)`). */
export interface AuditReader {
  chainState(): Promise<AuditChainState>;
  /** Stored records with `afterSeq < seq <= toSeq`, ascending by seq, at most `limit`. */
  range(afterSeq: number, toSeq: number, limit: number): Promise<StoredAuditRecord[]>;
  /** The stored record `seq`, or undefined. */
  get(seq: number): Promise<StoredAuditRecord | undefined>;
  /** Records matching `filter` with seq > `afterSeq` (default 0), ascending by seq, at most `limit`. */
  list(filter: AuditFilter, afterSeq: number, limit: number): Promise<StoredAuditRecord[]>;
}
