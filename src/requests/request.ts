/** Types of the requests domain: a request, its revisions, reviews, comments and events. */
import type { Finding, RiskReview } from '../policy/types.ts';
import type { RequestStatus } from './request-state.ts';

export const ACCESS_TYPES = ['read-only', 'read-write'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export const REVIEW_DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** An access request (the current state; history is in revisions, reviews and events). */
export interface AccessRequest {
  readonly id: string;
  readonly requesterId: string;
  readonly status: RequestStatus;
  /** Grows by one on every state change; transitions are conditional on it. */
  readonly version: number;
  readonly accountIds: readonly string[];
  readonly currentRevision: number;
  readonly accessType: AccessType;
  readonly justification: string;
  readonly durationHours: number;
  /** When access should start once approved; null = as soon as approved. */
  readonly startAt: Date | null;
  readonly callbackUrl: string | null;
  readonly ticket: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** When a still-pending request times out (enforced by the timeout job of the jobs issue). */
  readonly approvalDeadline: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** AWS regions the grants are limited to (`aws:RequestedRegion`); null = any region. */
  readonly regions?: readonly string[] | null;
  /** For an extension request: the grant whose `not_after` moves by `durationHours` on approval; else null. */
  readonly extendsGrantId?: string | null;
}

/** How the revision's policy was obtained. */
export type PolicySource =
  | { readonly type: 'policy' }
  | { readonly type: 'actions'; readonly actions: readonly string[]; readonly resources: readonly string[] }
  | { readonly type: 'access_levels'; readonly service: string; readonly accessLevels: readonly string[] };

/** The risk review of a revision, with the account environment it was scored for. */
export interface RevisionRisk extends RiskReview {
  /** The account whose context gave the highest score (the one shown). */
  readonly accountId: string;
  readonly environment: string;
}

/** One submission or edit. Approvals apply to one revision. */
export interface Revision {
  readonly requestId: string;
  readonly number: number;
  readonly authorId: string;
  /** The policy as IAM JSON (as submitted, or drafted). */
  readonly policy: unknown;
  readonly source: PolicySource;
  readonly draftNotes: readonly string[];
  /** Validation warnings and suggestions (errors reject the revision). */
  readonly findings: readonly Finding[];
  readonly risk: RevisionRisk;
  readonly createdAt: Date;
}

/** An approver's decision on a revision. */
export interface Review {
  readonly id: string;
  readonly requestId: string;
  readonly revision: number;
  readonly reviewerId: string;
  readonly decision: ReviewDecision;
  readonly comment: string | null;
  /** Accounts whose quorum this decision counts towards: those the reviewer approves for (all, for an admin). */
  readonly countsFor: readonly string[];
  readonly createdAt: Date;
}

export interface Comment {
  readonly id: string;
  readonly requestId: string;
  readonly authorId: string;
  readonly body: string;
  readonly createdAt: Date;
}

/** Types of request events (the audit trail until the hash-chained audit log exists). */
export const REQUEST_EVENT_TYPES = [
  'submitted',
  'approved',
  'rejected',
  'changes_requested',
  'cancelled',
  'resubmitted',
  'edited',
  'commented',
  'timed_out',
  // Grant-driven (grants/): provisioned, and the end of the last grant.
  'activated',
  'expired',
  'revoked',
  'failed',
] as const;
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

/** An append-only record of a state change or comment, written in the transaction that made it. */
export interface RequestEvent {
  readonly id: string;
  readonly requestId: string;
  /** Position in the request's history: 1, 2, 3… without gaps. */
  readonly seq: number;
  readonly actorId: string;
  readonly type: RequestEventType;
  readonly fromStatus: RequestStatus | null;
  readonly toStatus: RequestStatus;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** A request with everything a reader may see about it. */
export interface RequestDetail {
  readonly request: AccessRequest;
  readonly revisions: readonly Revision[];
  readonly reviews: readonly Review[];
  readonly comments: readonly Comment[];
  /** Approvals on the current revision. */
  readonly approvals: readonly Review[];
  readonly events: readonly RequestEvent[];
}
