import type { Account } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { AccessRequest, Comment, RequestEvent, Review, Revision } from './request.ts';
import type { RequestStatus } from './request-state.ts';

/** Fields a transition may change besides status and version. */
export interface RequestChange {
  status: RequestStatus;
  currentRevision?: number;
  accessType?: AccessRequest['accessType'];
  justification?: string;
  durationHours?: number;
  startAt?: Date | null;
  approvalDeadline?: Date | null;
}

/** Filters and keyset paging for `RequestRepo.list` (newest first). */
export interface RequestListQuery {
  /** Only requests by this user. */
  requesterId?: string;
  /**
   * Only requests the viewer may see: their own, plus those targeting one of `accountIds`. Undefined = no
   * visibility restriction (admins).
   */
  visibleTo?: { userId: string; accountIds: readonly string[] };
  status?: RequestStatus;
  accountId?: string;
  /** Exclude requests by this user (pending-for-me never lists one's own). */
  notRequesterId?: string;
  /** Exclude requests this user approved on their current revision. */
  notApprovedBy?: string;
  /** Keyset cursor: the createdAt and id of the last row of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Persistence of requests. Implemented in store/; pass repos bound to one transaction for a use case. */
export interface RequestRepo {
  insert(request: AccessRequest): Promise<void>;
  get(id: string): Promise<AccessRequest | undefined>;
  /**
   * Applies `change`, sets `version = expectedVersion + 1` and `updatedAt`, only if the stored version is still
   * `expectedVersion`. Returns false (nothing changed) when another transition got there first.
   */
  transition(id: string, expectedVersion: number, change: RequestChange, updatedAt: Date): Promise<boolean>;
  list(query: RequestListQuery): Promise<AccessRequest[]>;
  /**
   * How many requests of `requesterId` are in `statuses`. Inside a transaction on Postgres it first locks the
   * requester's user row, so concurrent submissions by one user count each other.
   */
  countByRequester(requesterId: string, statuses: readonly RequestStatus[]): Promise<number>;
  insertRevision(revision: Revision): Promise<void>;
  revisions(requestId: string): Promise<Revision[]>;
  revision(requestId: string, number: number): Promise<Revision | undefined>;
  insertReview(review: Review): Promise<void>;
  reviews(requestId: string): Promise<Review[]>;
  /** Inserts a comment at position `seq` of the request's history (the seq of its `commented` event). */
  insertComment(comment: Comment, seq: number): Promise<void>;
  comments(requestId: string): Promise<Comment[]>;
  /**
   * Locks the request's row until the transaction ends (Postgres `FOR UPDATE`; SQLite has one writer), so that
   * `nextEventSeq` is safe. Transitions lock it with their conditional update instead.
   */
  lock(id: string): Promise<void>;
  /** The seq the next event of the request gets (1 for the first). Call with the row locked. */
  nextEventSeq(requestId: string): Promise<number>;
  /** Appends an event (never updated or deleted). */
  appendEvent(event: RequestEvent): Promise<void>;
  events(requestId: string): Promise<RequestEvent[]>;
}

/** The repos a request use case needs. */
export interface RequestRepos {
  requests: RequestRepo;
  accounts: AccountRepo;
}

/**
 * The grants hand-off (issue 6): called inside the approving transaction when a request reaches `approved`, so its
 * grants and provisioning jobs commit (or roll back) with the approval.
 */
export type ApprovalHandOff = (approved: {
  request: AccessRequest;
  revision: Revision;
  accounts: readonly Account[];
  approverIds: readonly string[];
  now: Date;
  /** The approver whose approval met the quorum. */
  actorId?: string;
}) => Promise<void>;

/** The repos of a use case inside a transaction: also the audit log, which needs the open transaction. */
export interface RequestTxRepos extends RequestRepos {
  audit: AuditLog;
  /** Present when provisioning is wired (app.ts); absent in request-only deployments and tests. */
  onApproved?: ApprovalHandOff;
  /**
   * Schedules the approval timeout of a request for `deadline`, in the same transaction (a durable job; app.ts).
   * Absent when no job runner is wired: the deadline is then stored but never enforced.
   */
  scheduleTimeout?: (requestId: string, deadline: Date) => Promise<void>;
}

/** Runs `work` in one transaction over repos bound to it; commits when it resolves, rolls back when it throws. */
export type RequestTransaction = <T>(work: (repos: RequestTxRepos) => Promise<T>) => Promise<T>;
