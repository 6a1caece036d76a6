/**
 * The request lifecycle of DESIGN.md §3 as one pure transition table. Every state change of a request goes through
 * `nextStatus`; services never compare statuses themselves.
 */
import { err, ok, type Result } from '../lib/result.ts';

/** Every status a request can be in. */
export const REQUEST_STATUSES = [
  'pending',
  'changes_requested',
  'approved',
  'active',
  'expired',
  'revoked',
  'rejected',
  'cancelled',
  'timed_out',
  'failed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses that count against the per-user cap on outstanding requests. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['pending', 'changes_requested', 'approved'];

/** Statuses from which nothing can happen any more. */
export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'expired',
  'revoked',
  'rejected',
  'cancelled',
  'timed_out',
  'failed',
];

/** What can be done to a request. `approve` with quorum met goes to `approved`, otherwise stays `pending`. */
export const REQUEST_ACTIONS = [
  'approve',
  'reject',
  'request_changes',
  'cancel',
  'resubmit',
  'edit',
  'time_out',
  'activate',
  'expire',
  'revoke',
  'fail',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

interface Transition {
  readonly from: readonly RequestStatus[];
  /** Target status; `approve` names its two outcomes (quorum not met, met). */
  readonly to: RequestStatus | { readonly quorumNotMet: RequestStatus; readonly quorumMet: RequestStatus };
}

/** The transition table (DESIGN.md §3). Actions on grants (`activate`…`fail`) belong to the grants issue. */
export const TRANSITIONS: Readonly<Record<RequestAction, Transition>> = {
  approve: { from: ['pending'], to: { quorumNotMet: 'pending', quorumMet: 'approved' } },
  reject: { from: ['pending'], to: 'rejected' },
  request_changes: { from: ['pending'], to: 'changes_requested' },
  cancel: { from: ['pending', 'changes_requested'], to: 'cancelled' },
  resubmit: { from: ['changes_requested'], to: 'pending' },
  edit: { from: ['pending'], to: 'pending' },
  time_out: { from: ['pending'], to: 'timed_out' },
  activate: { from: ['approved'], to: 'active' },
  expire: { from: ['active'], to: 'expired' },
  revoke: { from: ['active'], to: 'revoked' },
  fail: { from: ['approved'], to: 'failed' },
};

/** Why a transition is not allowed: the action, the status the request is in, and the statuses that would allow it. */
export interface IllegalTransitionInfo {
  readonly action: RequestAction;
  readonly status: RequestStatus;
  readonly allowedFrom: readonly RequestStatus[];
}

/**
 * The status after `action` on a request in `status`, or why the action is illegal there. `quorumMet` only
 * matters for `approve`. Pure; never throws.
 */
export function nextStatus(
  status: RequestStatus,
  action: RequestAction,
  { quorumMet = false }: { quorumMet?: boolean } = {},
): Result<RequestStatus, IllegalTransitionInfo> {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) return err({ action, status, allowedFrom: t.from });
  if (typeof t.to === 'string') return ok(t.to);
  return ok(quorumMet ? t.to.quorumMet : t.to.quorumNotMet);
}

/** True when `action` is legal in `status`. */
export function canTransition(status: RequestStatus, action: RequestAction): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** True when `status` is in the table (for values read back from storage). */
export function isRequestStatus(value: string): value is RequestStatus {
  return (REQUEST_STATUSES as readonly string[]).includes(value);
}
