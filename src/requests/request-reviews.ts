/** Approve, reject, request changes, cancel and comment. */
import { BrokerError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Review } from './request.ts';
import {
  commitTransition,
  loadVisible,
  type RequestServiceDeps,
  recordEvent,
  requireTransition,
} from './request-common.ts';
import { checkText } from './request-input.ts';
import { type Actor, isQuorumMet, quorumState, reviewerAccounts } from './request-rules.ts';

/** The review use cases. Each runs in one transaction with its event; each throws `NotFound` for invisible requests. */
export interface ReviewUseCases {
  approve(actor: Actor, id: string, options?: { comment?: string }): Promise<string>;
  reject(actor: Actor, id: string, options: { reason?: string }): Promise<string>;
  requestChanges(actor: Actor, id: string, options: { comment?: string }): Promise<string>;
  cancel(actor: Actor, id: string, options?: { reason?: string }): Promise<string>;
  /** Returns the new comment's id. */
  comment(actor: Actor, id: string, options: { body?: string }): Promise<string>;
}

/** Creates the review use cases (documented on each implementation below). */
export function createReviewUseCases(deps: RequestServiceDeps): ReviewUseCases {
  const { transaction, clock } = deps;

  async function review(
    actor: Actor,
    id: string,
    decision: 'reject' | 'request_changes',
    text: string | undefined,
  ): Promise<string> {
    const comment = checkText(text, decision === 'reject' ? 'reason' : 'comment');
    const now = clock.now();
    return transaction(async (tx) => {
      const { request, accounts } = await loadVisible(tx, actor, id);
      const countsFor = reviewerAccounts(actor, request, accounts);
      const to = requireTransition(request, decision);
      await commitTransition(tx, {
        request,
        actor,
        now,
        type: decision === 'reject' ? 'rejected' : 'changes_requested',
        change: { status: to },
        data: { revision: request.currentRevision, comment },
      });
      await tx.requests.insertReview({
        id: newId('rvw'),
        requestId: id,
        revision: request.currentRevision,
        reviewerId: actor.id,
        decision,
        comment,
        countsFor,
        createdAt: now,
      });
      return id;
    });
  }

  return {
    /**
     * Records the actor's approval of the current revision; the request becomes `approved` when every account has
     * its quorum of distinct approvers. Throws `SelfApproval`, `NotApprover`, `AlreadyReviewed` (already approved
     * this revision), `IllegalTransition`, `ConcurrentUpdate`.
     */
    async approve(actor: Actor, id: string, { comment }: { comment?: string } = {}): Promise<string> {
      const text = checkText(comment, 'comment', { required: false });
      const now = clock.now();
      return transaction(async (tx) => {
        const { request, accounts } = await loadVisible(tx, actor, id);
        const countsFor = reviewerAccounts(actor, request, accounts);
        requireTransition(request, 'approve');
        const reviews = await tx.requests.reviews(id);
        if (
          reviews.some(
            (r) =>
              r.revision === request.currentRevision && r.reviewerId === actor.id && r.decision === 'approve',
          )
        )
          throw new BrokerError('AlreadyReviewed', 'you already approved this revision', {
            details: { request_id: id, revision: request.currentRevision },
          });
        const approval: Review = {
          id: newId('rvw'),
          requestId: id,
          revision: request.currentRevision,
          reviewerId: actor.id,
          decision: 'approve',
          comment: text,
          countsFor,
          createdAt: now,
        };
        const quorum = quorumState(accounts, [...reviews, approval], request.currentRevision);
        const quorumMet = isQuorumMet(quorum);
        const to = requireTransition(request, 'approve', { quorumMet });
        await commitTransition(tx, {
          request,
          actor,
          now,
          type: 'approved',
          change: { status: to },
          data: { revision: request.currentRevision, comment: text, quorum_met: quorumMet, quorum },
        });
        await tx.requests.insertReview(approval);
        if (to === 'approved' && tx.onApproved !== undefined) {
          const revision = await tx.requests.revision(id, request.currentRevision);
          if (revision === undefined)
            throw new Error(`request ${id} has no revision ${request.currentRevision}`);
          const approverIds = [...reviews, approval]
            .filter((r) => r.revision === request.currentRevision && r.decision === 'approve')
            .map((r) => r.reviewerId);
          await tx.onApproved({
            request: { ...request, status: to, version: request.version + 1 },
            revision,
            accounts,
            approverIds: [...new Set(approverIds)],
            now,
            actorId: actor.id,
          });
        }
        return id;
      });
    },

    /** Rejects with a mandatory reason. Throws like `approve` (without `AlreadyReviewed`). */
    reject: (actor: Actor, id: string, { reason }: { reason?: string }) =>
      review(actor, id, 'reject', reason),

    /** Sends the request back to its requester with a mandatory comment. */
    requestChanges: (actor: Actor, id: string, { comment }: { comment?: string }) =>
      review(actor, id, 'request_changes', comment),

    /** The requester withdraws a pending or changes-requested request. Throws `NotRequester` for anyone else. */
    async cancel(actor: Actor, id: string, { reason }: { reason?: string } = {}): Promise<string> {
      const text = checkText(reason, 'reason', { required: false });
      const now = clock.now();
      return transaction(async (tx) => {
        const { request } = await loadVisible(tx, actor, id);
        if (request.requesterId !== actor.id)
          throw new BrokerError('NotRequester', 'only the requester can cancel a request', {
            details: { request_id: id },
          });
        const to = requireTransition(request, 'cancel');
        await commitTransition(tx, {
          request,
          actor,
          now,
          type: 'cancelled',
          change: { status: to },
          data: { reason: text },
        });
        return id;
      });
    },

    /** Adds a comment (any state) by anyone who can see the request; recorded as an event too. */
    async comment(actor: Actor, id: string, { body }: { body?: string }): Promise<string> {
      const text = checkText(body, 'body') as string;
      const now = clock.now();
      return transaction(async (tx) => {
        const { request } = await loadVisible(tx, actor, id);
        await tx.requests.lock(id);
        const seq = await tx.requests.nextEventSeq(id);
        const commentId = newId('cmt');
        await tx.requests.insertComment(
          { id: commentId, requestId: id, authorId: actor.id, body: text, createdAt: now },
          seq,
        );
        await recordEvent(tx, {
          id: newId('evt'),
          requestId: id,
          seq,
          actorId: actor.id,
          type: 'commented',
          fromStatus: request.status,
          toStatus: request.status,
          data: { comment_id: commentId },
          createdAt: now,
        });
        return commentId;
      });
    },
  };
}
