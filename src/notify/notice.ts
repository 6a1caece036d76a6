/**
 * A notice: one notifiable event with the snapshot every channel renders (webhook JSON, Slack blocks, Mattermost
 * attachments, email). Built by the dispatcher from an audit event plus the request/grant it names; renderers are
 * pure functions of a notice. Never carries tokens, magic links, credentials or webhook secrets.
 */

/** Event types that notify someone, as they appear in webhook payloads (`type`) and subscription filters. */
export const NOTICE_TYPES = [
  'request.submitted',
  'request.approved',
  'request.rejected',
  'request.changes_requested',
  'request.revised',
  'request.cancelled',
  'request.timed_out',
  'request.commented',
  'request.break_glass',
  'grant.activated',
  'grant.expiring',
  'grant.expired',
  'grant.revoked',
  'grant.extended',
  'grant.failed',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** A risk factor as shown in a notice (the top few by points). */
export interface NoticeFactor {
  readonly id: string;
  readonly title: string;
  readonly points: number;
}

/** The request as a notice shows it. */
export interface NoticeRequest {
  readonly id: string;
  readonly status: string;
  readonly requester: { readonly id: string; readonly email: string | null };
  readonly accounts: readonly { readonly id: string; readonly name: string }[];
  readonly justification: string;
  readonly durationHours: number;
  readonly accessType: string;
  readonly revision: number;
  readonly risk: {
    readonly score: number;
    readonly band: string;
    readonly topFactors: readonly NoticeFactor[];
  };
}

/** The grant as a notice shows it (grant events only). */
export interface NoticeGrant {
  readonly id: string;
  readonly accountId: string;
  readonly status: string;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
}

export interface Notice {
  /** Stable event id (`evt_<audit seq>`, or `evt_<grant id>_expiring_<not_after unix>`): receivers de-duplicate on it. */
  readonly id: string;
  readonly type: NoticeType;
  /** ISO 8601 time of the event. */
  readonly at: string;
  /** Who did it: a user id, or `system`. */
  readonly actor: { readonly id: string; readonly email: string | null };
  /** Reason or comment attached to the event (rejection reason, requested changes, revoke reason), if any. */
  readonly message: string | null;
  /** Absolute link to the request's page in the web UI (`<base url>/requests/<id>`). */
  readonly link: string;
  readonly request: NoticeRequest;
  readonly grant: NoticeGrant | null;
}
