/** Validation of the scalar parts of a submission or edit. Pure; throws BrokerError naming the field. */
import { type Account, isAccountId } from '../accounts/account.ts';
import { BrokerError } from '../lib/errors.ts';
import type { PolicySpec } from './policy-review.ts';
import { ACCESS_TYPES, type AccessType } from './request.ts';

/** What a requester submits (the API body, already mapped to camelCase). */
export interface SubmitInput {
  accountIds: readonly string[];
  spec: PolicySpec;
  accessType?: AccessType;
  justification?: string;
  durationHours?: number;
  /** ISO-8601 or a Date; when access should start (default: on approval). */
  startAt?: string | Date | null;
  callbackUrl?: string | null;
  ticket?: string | null;
  tags?: Readonly<Record<string, string>>;
  /** AWS regions the grants are limited to (`aws:RequestedRegion`); absent, null or empty = any region. */
  regions?: readonly string[] | null;
  /**
   * Internal (grants/ sets it, the API body has no such field): this request asks to extend that grant; approving it
   * moves the grant's `not_after` by `durationHours` instead of creating grants.
   */
  extendsGrantId?: string;
}

/** What an edit or resubmission may change (the accounts stay). Absent fields keep their value. */
export interface EditInput {
  spec?: PolicySpec;
  accessType?: AccessType;
  justification?: string;
  durationHours?: number;
  startAt?: string | Date | null;
  /** Why it changed: kept on the event and shown to the requester for approvers' edits. */
  comment?: string;
}

/** The limits and defaults from config (`IAM_JIT_*`). */
export interface RequestSettings {
  readonly maxDurationHours: number;
  readonly defaultDurationHours: number;
  readonly requireJustification: boolean;
  readonly approvalTimeoutHours: number;
  readonly maxOpenPerUser: number;
}

export const MAX_ACCOUNTS_PER_REQUEST = 20;
export const MAX_JUSTIFICATION_CHARS = 2000;
export const MAX_COMMENT_CHARS = 4000;
const MAX_START_AHEAD_MS = 30 * 24 * 3600 * 1000;
const START_SKEW_MS = 5 * 60 * 1000;

function invalid(field: string, message: string): BrokerError {
  return new BrokerError('InvalidInput', `${field}: ${message}`, { details: { field } });
}

/** Distinct, well-formed account ids (1–20). */
export function checkAccountIds(ids: readonly string[]): string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw invalid('account_ids', 'name at least one account');
  if (ids.length > MAX_ACCOUNTS_PER_REQUEST)
    throw invalid('account_ids', `at most ${MAX_ACCOUNTS_PER_REQUEST} accounts per request`);
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !isAccountId(id))
      throw invalid(`account_ids[${i}]`, 'must be a 12-digit account id');
  });
  return [...new Set(ids)].sort();
}

/** Trimmed justification; empty is refused when `required` (IAM_JIT_REQUIRE_JUSTIFICATION). */
export function checkJustification(text: string | undefined, required: boolean): string {
  const t = (text ?? '').trim();
  if (t === '' && required) throw invalid('justification', 'is required (IAM_JIT_REQUIRE_JUSTIFICATION)');
  if (t.length > MAX_JUSTIFICATION_CHARS)
    throw invalid('justification', `at most ${MAX_JUSTIFICATION_CHARS} characters`);
  return t;
}

/** A free text of 1..max characters (comments, reasons). */
export function checkText(text: string | undefined, field: string, { required = true } = {}): string | null {
  const t = (text ?? '').trim();
  if (t === '') {
    if (required) throw invalid(field, 'is required');
    return null;
  }
  if (t.length > MAX_COMMENT_CHARS) throw invalid(field, `at most ${MAX_COMMENT_CHARS} characters`);
  return t;
}

/**
 * The duration in hours (default `defaultDurationHours`), refused with `DurationExceedsMax` (422) above the global
 * maximum or any target account's maximum.
 */
export function checkDuration(
  hours: number | undefined,
  accounts: readonly Account[],
  settings: Pick<RequestSettings, 'maxDurationHours' | 'defaultDurationHours'>,
): number {
  const limits = [
    settings.maxDurationHours,
    ...accounts.flatMap((a) => (a.maxDurationHours === null ? [] : [a.maxDurationHours])),
  ];
  const max = Math.min(...limits);
  const h = hours ?? Math.min(settings.defaultDurationHours, max);
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0)
    throw invalid('duration_hours', 'must be a number of hours greater than 0');
  if (h > max)
    throw new BrokerError('DurationExceedsMax', `duration_hours ${h} exceeds the maximum of ${max} hours`, {
      details: { field: 'duration_hours', max_hours: max },
    });
  return h;
}

/** The start time: null, or an instant between 5 minutes ago and 30 days ahead. */
export function checkStartAt(value: string | Date | null | undefined, now: Date): Date | null {
  if (value === undefined || value === null) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid('start_at', 'must be an ISO-8601 timestamp');
  if (d.getTime() < now.getTime() - START_SKEW_MS) throw invalid('start_at', 'must not be in the past');
  if (d.getTime() > now.getTime() + MAX_START_AHEAD_MS) throw invalid('start_at', 'must be within 30 days');
  return d;
}

/** An http(s) URL of at most 2048 characters, or null. */
export function checkCallbackUrl(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('callback_url', 'must be an http:// or https:// URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || value.length > 2048)
    throw invalid('callback_url', 'must be an http:// or https:// URL');
  return url.toString();
}

export function checkAccessType(value: string | undefined): AccessType {
  if (value === undefined) return 'read-write';
  if (!(ACCESS_TYPES as readonly string[]).includes(value))
    throw invalid('access_type', `must be one of ${ACCESS_TYPES.join(', ')}`);
  return value as AccessType;
}

export const MAX_REGIONS = 30;

/**
 * Distinct, sorted region codes (`eu-west-1`, `us-gov-west-1`), at most 30; null when none are given (any region).
 * The codes are checked for shape only: a region unknown to AWS simply matches no request.
 */
export function checkRegions(regions: readonly string[] | null | undefined): string[] | null {
  if (regions === undefined || regions === null) return null;
  if (!Array.isArray(regions)) throw invalid('regions', 'must be a list of region codes such as eu-west-1');
  if (regions.length > MAX_REGIONS) throw invalid('regions', `at most ${MAX_REGIONS} regions`);
  regions.forEach((r, i) => {
    if (typeof r !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(r))
      throw invalid(`regions[${i}]`, 'must be a region code such as eu-west-1');
  });
  return regions.length === 0 ? null : [...new Set(regions)].sort();
}

/** Ticket reference (≤ 200 characters) and tags (≤ 50, keys ≤ 128, values ≤ 256). */
export function checkTicketAndTags(
  ticket: string | null | undefined,
  tags: Readonly<Record<string, string>> | undefined,
): { ticket: string | null; tags: Record<string, string> } {
  const t = ticket?.trim() || null;
  if (t !== null && t.length > 200) throw invalid('ticket', 'at most 200 characters');
  const entries = Object.entries(tags ?? {});
  if (entries.length > 50) throw invalid('tags', 'at most 50 tags');
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > 128) throw invalid(`tags.${k}`, 'keys must be 1-128 characters');
    if (typeof v !== 'string' || v.length > 256)
      throw invalid(`tags.${k}`, 'values must be strings of at most 256 characters');
  }
  return { ticket: t, tags: Object.fromEntries(entries) };
}
