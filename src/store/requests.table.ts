import type { Insertable, Selectable } from 'kysely';

/** `requests`: one access request. `version` grows by one on every state change (optimistic concurrency). */
export interface RequestsTable {
  id: string;
  requester_id: string;
  status: string;
  version: number;
  current_revision: number;
  access_type: string;
  justification: string;
  duration_hours: number;
  start_at: string | null;
  callback_url: string | null;
  ticket: string | null;
  /** JSON object of string tags. */
  tags: string;
  /** When a pending request times out (the timeout job comes with the jobs issue). */
  approval_deadline: string | null;
  created_at: string;
  updated_at: string;
  /** JSON array of AWS regions the grants are limited to; null = any (migration 07). */
  regions: string | null;
  /** The grant this request asks to extend (an extension request); null for access requests (migration 07). */
  extends_grant_id: string | null;
}
export type RequestRow = Selectable<RequestsTable>;
export type NewRequestRow = Insertable<RequestsTable>;

/** `request_accounts`: the accounts a request targets (one grant per account later). */
export interface RequestAccountsTable {
  request_id: string;
  account_id: string;
}

/** `request_revisions`: each submission or edit, with its policy, findings and risk review (JSON text). */
export interface RequestRevisionsTable {
  request_id: string;
  number: number;
  author_id: string;
  policy: string;
  source: string;
  draft_notes: string;
  findings: string;
  risk: string;
  created_at: string;
}
export type RevisionRow = Selectable<RequestRevisionsTable>;

/** `request_reviews`: approve / reject / request_changes decisions, each on one revision. */
export interface RequestReviewsTable {
  id: string;
  request_id: string;
  revision: number;
  reviewer_id: string;
  decision: string;
  comment: string | null;
  /** JSON array of account ids the decision counts towards (quorum per account). */
  counts_for: string;
  created_at: string;
}
export type ReviewRow = Selectable<RequestReviewsTable>;

/** `request_comments`: free discussion on a request. */
export interface RequestCommentsTable {
  id: string;
  request_id: string;
  author_id: string;
  body: string;
  seq: number;
  created_at: string;
}
export type CommentRow = Selectable<RequestCommentsTable>;

/**
 * `request_events`: append-only record of every state change and comment, written in the same transaction.
 * `seq` numbers one request's events from 1. The audit issue replaces this with the hash-chained log.
 */
export interface RequestEventsTable {
  id: string;
  request_id: string;
  seq: number;
  actor_id: string;
  type: string;
  from_status: string | null;
  to_status: string;
  data: string;
  created_at: string;
}
export type EventRow = Selectable<RequestEventsTable>;
