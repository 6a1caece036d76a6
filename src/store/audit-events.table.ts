import type { ColumnType, Selectable } from 'kysely';

/** Postgres returns `bigint` columns as strings; SQLite as numbers. Convert with `Number()`. */
type BigintColumn = ColumnType<number | string, number, number>;

/**
 * `audit_events`: the append-only, hash-chained audit stream (docs/audit.md). Written only by
 * `appendAuditEvent`, inside the transaction of the change it records; never updated or deleted.
 */
export interface AuditEventsTable {
  seq: BigintColumn;
  /** ISO-8601 UTC with milliseconds. */
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  /** Canonical JSON (RFC 8785) of the event's data object. */
  data: string;
  prev_hash: string;
  hash: string;
}
export type AuditEventRow = Selectable<AuditEventsTable>;

/** `audit_chain_head`: one row (id 1) holding the last seq and hash; its row lock serialises appends. */
export interface AuditChainHeadTable {
  id: number;
  seq: BigintColumn;
  hash: string;
}
