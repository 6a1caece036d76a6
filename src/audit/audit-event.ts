import { sha256Hex } from '../lib/crypto.ts';
import { canonicalJson, type JsonObject } from './canonical-json.ts';

/** `prev_hash` of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The actor of events no person caused (timers, reconciliation, expiry). */
export const SYSTEM_ACTOR = 'system';

/** The actor of events an unauthenticated caller caused (a sign-in link request, a failed login). */
export const ANONYMOUS_ACTOR = 'anonymous';

/**
 * Actions the broker records (docs/audit.md). `action` is any dotted lower-case name (`isAuditAction`); this list
 * names the ones in use so reports and filters can offer them. New actions follow the `<noun>.<verb-ed>` form.
 */
export const AUDIT_ACTIONS = [
  'request.submitted',
  'request.revised',
  'request.approved',
  'request.rejected',
  'request.changes_requested',
  'request.cancelled',
  'request.timed_out',
  'request.commented',
  'request.break_glass',
  'grant.provisioned',
  'grant.provision_failed',
  'grant.activated',
  'grant.extended',
  'grant.revoked',
  'grant.expired',
  'grant.credentials_vended',
  'aws.call',
  'reconcile.finding',
  'auth.login',
  'auth.login_failed',
  'auth.link_requested',
  'auth.logout',
  'token.minted',
  'token.revoked',
  'user.created',
  'user.updated',
  'user.deleted',
  'account.created',
  'account.updated',
  'account.deleted',
  'reconcile.orphan_role',
  'reconcile.missing_role',
  'reconcile.policy_drift',
  'reconcile.orphan_assignment',
  'reconcile.run',
  'grant.extension_requested',
  'request.activated',
  'request.expired',
  'request.revoked',
  'request.failed',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret_rotated',
  'webhook.tested',
  'chat_binding.created',
  'chat_binding.deleted',
  'alert.notification_dead',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a caller records; `seq`, `prevHash` and `hash` are assigned by the chain. */
export interface NewAuditEvent {
  /** When it happened (from the caller's Clock); stored as ISO-8601 UTC with milliseconds. */
  readonly at: Date;
  /** The user id who caused it, or `SYSTEM_ACTOR`. */
  readonly actor: string;
  /** Dotted lower-case name, e.g. `request.approved` (see `AUDIT_ACTIONS`). */
  readonly action: string;
  /** The request, grant, user or account id the event is about; null when there is none. */
  readonly subject: string | null;
  /** Details (AWS request id, outcome, reason…). Never tokens, links or secrets. Default `{}`. */
  readonly data?: JsonObject;
}

/** A recorded event, link `seq` of the chain. */
export interface AuditEvent {
  /** 1, 2, 3, … with no gaps, in commit order. */
  readonly seq: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly data: JsonObject;
  /** `hash` of event `seq - 1` (`GENESIS_HASH` for seq 1). */
  readonly prevHash: string;
  /** `SHA-256(prevHash ‖ canonical JSON of {seq, at, actor, action, subject, data})`, lowercase hex. */
  readonly hash: string;
}

/** An event exactly as stored: `at` and `data` are the stored texts, unchecked. What verification reads. */
export interface StoredAuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  /** Canonical JSON text of `data`. */
  readonly data: string;
  readonly prevHash: string;
  readonly hash: string;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MAX_FIELD = 512;

/** True when `action` is a dotted lower-case name such as `request.approved`. */
export function isAuditAction(action: string): boolean {
  return action.length <= MAX_FIELD && ACTION.test(action);
}

/**
 * Validates `event` and returns the texts to store (`at` as ISO-8601, `data` as canonical JSON). Throws Error on
 * a bug in the caller: invalid date, empty or over-long actor/subject, malformed action, data that is not
 * canonical-JSON-able (see `canonicalJson`).
 */
export function prepareAuditEvent(event: NewAuditEvent): { at: string; data: string } {
  if (!(event.at instanceof Date) || Number.isNaN(event.at.getTime()))
    throw new Error('audit event: `at` must be a valid Date');
  if (event.actor === '' || event.actor.length > MAX_FIELD)
    throw new Error('audit event: `actor` must be a user id or "system"');
  if (!isAuditAction(event.action))
    throw new Error(
      `audit event: invalid action ${JSON.stringify(event.action)} (expected e.g. request.approved)`,
    );
  if (event.subject !== null && (event.subject === '' || event.subject.length > MAX_FIELD))
    throw new Error('audit event: `subject` must be an id or null');
  const data = event.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Error('audit event: `data` must be a JSON object');
  return { at: event.at.toISOString(), data: canonicalJson(data) };
}

/**
 * The chain hash of one event: lowercase hex `SHA-256(prevHash ‖ canonicalJson({ action, actor, at, data, seq,
 * subject }))`, where `data` is the parsed object (so any JSON spelling of the same data hashes the same).
 * Throws Error when `data` is not valid JSON.
 */
export function hashAuditRecord(record: Omit<StoredAuditRecord, 'hash'>): string {
  const body = canonicalJson({
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    data: JSON.parse(record.data) as JsonObject,
  });
  return sha256Hex(record.prevHash + body);
}

/** Parses a stored record into an event. Throws Error when the stored data is not JSON (a tampered row). */
export function toAuditEvent(record: StoredAuditRecord): AuditEvent {
  return {
    seq: record.seq,
    at: new Date(record.at),
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    data: JSON.parse(record.data) as JsonObject,
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
