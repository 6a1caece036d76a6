/** Who may see and review a request, and when quorum is met. Pure. */
import { type Account, isAccountApprover } from '../accounts/account.ts';
import { BrokerError } from '../lib/errors.ts';
import type { AccessRequest, Review } from './request.ts';

/** The authenticated caller: an enabled user with roles. */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

/** True for admins. */
export function isAdmin(actor: Actor): boolean {
  return actor.roles.includes('admin');
}

/**
 * True when `actor` may see `request`: its requester, an admin, or an approver of one of its accounts. Callers
 * answer NotFound otherwise, so the existence of others' requests does not leak.
 */
export function canView(actor: Actor, request: AccessRequest, accounts: readonly Account[]): boolean {
  return (
    request.requesterId === actor.id || isAdmin(actor) || accounts.some((a) => isAccountApprover(a, actor))
  );
}

/**
 * The accounts of the request `actor` reviews for (all of them for an admin). Throws `SelfApproval` (403) for the
 * requester (also an admin: break-glass is a separate path) and `NotApprover` (403) when the actor approves for none.
 */
export function reviewerAccounts(
  actor: Actor,
  request: AccessRequest,
  accounts: readonly Account[],
): string[] {
  if (request.requesterId === actor.id)
    throw new BrokerError('SelfApproval', 'the requester cannot review their own request', {
      details: { request_id: request.id },
    });
  const ids = accounts.filter((a) => isAccountApprover(a, actor)).map((a) => a.id);
  if (ids.length === 0)
    throw new BrokerError('NotApprover', "approver role for this request's accounts required", {
      details: { request_id: request.id, account_ids: request.accountIds },
    });
  return ids;
}

/** Per account: approvals on `revision` counting towards it, and how many it needs. */
export interface QuorumState {
  readonly accountId: string;
  readonly required: number;
  readonly approvedBy: readonly string[];
}

/** Distinct approvers per account on `revision` (reviews on other revisions do not count). */
export function quorumState(
  accounts: readonly Account[],
  reviews: readonly Review[],
  revision: number,
): QuorumState[] {
  return accounts.map((a) => ({
    accountId: a.id,
    required: a.requiredApprovals,
    approvedBy: [
      ...new Set(
        reviews
          .filter((r) => r.revision === revision && r.decision === 'approve' && r.countsFor.includes(a.id))
          .map((r) => r.reviewerId),
      ),
    ].sort(),
  }));
}

/** True when every account has its required number of distinct approvers. */
export function isQuorumMet(state: readonly QuorumState[]): boolean {
  return state.every((s) => s.approvedBy.length >= s.required);
}
