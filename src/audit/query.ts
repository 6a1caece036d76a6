import { BrokerError } from '../lib/errors.ts';
import { type AuditEvent, type StoredAuditRecord, toAuditEvent } from './audit-event.ts';
import { canonicalJson } from './canonical-json.ts';
import type { AuditFilter, AuditReader } from './ports.ts';

/** Largest page `listAuditEvents` returns. */
export const MAX_AUDIT_PAGE = 1000;

/** Filters and paging for `listAuditEvents`. */
export interface AuditListQuery extends AuditFilter {
  /** The `nextCursor` of the previous page; omitted for the first page. */
  readonly after?: string;
  /** Page size, 1–`MAX_AUDIT_PAGE` (default 100). */
  readonly limit?: number;
}

/** One page of events, oldest first. */
export interface AuditPage {
  readonly events: AuditEvent[];
  /** Pass as `after` for the next page; undefined on the last page. Opaque to callers. */
  readonly nextCursor: string | undefined;
}

/** Decodes a cursor; throws BrokerError('InvalidInput') on anything `listAuditEvents` did not produce. */
export function decodeAuditCursor(cursor: string): number {
  const m = /^s([0-9]{1,15})$/.exec(cursor);
  if (m === null) throw new BrokerError('InvalidInput', 'invalid audit cursor');
  return Number(m[1]);
}

function encodeAuditCursor(seq: number): string {
  return `s${seq}`;
}

/**
 * Events matching the filters, ascending by seq, with keyset pagination that stays stable while events are
 * appended (for `GET /api/v1/audit` and reports). Throws BrokerError('InvalidInput') on a bad cursor, limit or
 * time range; rethrows database errors.
 */
export async function listAuditEvents(
  reader: AuditReader,
  { after, limit = 100, ...filter }: AuditListQuery = {},
): Promise<AuditPage> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE)
    throw new BrokerError('InvalidInput', `limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  checkFilter(filter);
  const afterSeq = after === undefined ? 0 : decodeAuditCursor(after);
  const records = await reader.list(filter, afterSeq, limit + 1);
  const page = records.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map(toAuditEvent),
    nextCursor: records.length > limit && last !== undefined ? encodeAuditCursor(last.seq) : undefined,
  };
}

function checkFilter(filter: AuditFilter): void {
  for (const [name, d] of [
    ['since', filter.since],
    ['until', filter.until],
  ] as const) {
    if (d !== undefined && Number.isNaN(d.getTime()))
      throw new BrokerError('InvalidInput', `${name} is not a date`);
  }
}

/**
 * One exported line (without the newline): the stored event as canonical JSON with keys `action, actor, at, data,
 * hash, prev_hash, seq, subject` — enough for anyone to recompute the chain (docs/audit.md).
 */
export function auditExportLine(record: StoredAuditRecord): string {
  return canonicalJson({
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    data: JSON.parse(record.data) as unknown,
    prev_hash: record.prevHash,
    hash: record.hash,
  });
}

/**
 * Writes every event matching `filter` as JSON lines (`auditExportLine` + `\n`), oldest first, reading
 * `pageSize` rows at a time (bounded memory; `write` is awaited so a slow sink applies back-pressure).
 * Resolves to the number of lines written. Throws Error when a stored row's data is not JSON (run verify).
 */
export async function exportAuditEvents(
  reader: AuditReader,
  filter: AuditFilter,
  write: (line: string) => void | Promise<void>,
  { pageSize = 1000 }: { pageSize?: number } = {},
): Promise<number> {
  checkFilter(filter);
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const page = await reader.list(filter, afterSeq, pageSize);
    for (const record of page) {
      await write(`${auditExportLine(record)}\n`);
      count++;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return count;
    afterSeq = last.seq;
  }
}
