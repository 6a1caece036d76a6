/** Pieces shared by the request use cases: dependencies, loading a visible request, applying a transition. */
import type { Account } from '../accounts/account.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { RiskExtensions } from './policy-review.ts';
import type { RequestChange, RequestRepos, RequestTransaction, RequestTxRepos } from './ports.ts';
import type { AccessRequest, RequestEvent, RequestEventType } from './request.ts';
import type { RequestSettings } from './request-input.ts';
import { type Actor, canView } from './request-rules.ts';
import { nextStatus, type RequestAction, type RequestStatus } from './request-state.ts';

/** What the request service needs. */
export interface RequestServiceDeps {
  /** Repos outside a transaction (reads). */
  readonly repos: RequestRepos;
  readonly transaction: RequestTransaction;
  readonly clock: Clock;
  readonly settings: RequestSettings;
  readonly risk?: RiskExtensions;
  /**
   * Refuses a `callback_url` notifications may not deliver to (the SSRF guard, docs/notifications.md): throws
   * `InvalidInput` (400). Absent: only the URL's form is checked.
   */
  readonly checkCallbackTarget?: (url: string) => Promise<void>;
}

/** A request with its accounts, as loaded for an actor allowed to see it. */
export interface Loaded {
  readonly request: AccessRequest;
  readonly accounts: Account[];
}

/** Loads `id` for `actor`; throws `NotFound` when absent or not visible to the actor (no 403: existence never leaks). */
export async function loadVisible(repos: RequestRepos, actor: Actor, id: string): Promise<Loaded> {
  const request = await repos.requests.get(id);
  if (request !== undefined) {
    const accounts = await repos.accounts.getMany(request.accountIds);
    if (canView(actor, request, accounts)) return { request, accounts };
  }
  throw new BrokerError('NotFound', `request ${id} not found`, { details: { request_id: id } });
}

/** The status after `action`, or `IllegalTransition` (409) naming the current status. */
export function requireTransition(
  request: AccessRequest,
  action: RequestAction,
  options: { quorumMet?: boolean } = {},
): RequestStatus {
  const next = nextStatus(request.status, action, options);
  if (!next.ok)
    throw new BrokerError(
      'IllegalTransition',
      `cannot ${action.replace('_', ' ')} a request that is ${request.status}`,
      {
        details: {
          request_id: request.id,
          action,
          status: request.status,
          allowed_from: next.error.allowedFrom,
        },
      },
    );
  return next.value;
}

const AUDIT_ACTION: Readonly<Record<RequestEventType, string>> = {
  submitted: 'request.submitted',
  approved: 'request.approved',
  rejected: 'request.rejected',
  changes_requested: 'request.changes_requested',
  cancelled: 'request.cancelled',
  resubmitted: 'request.revised',
  edited: 'request.revised',
  commented: 'request.commented',
  timed_out: 'request.timed_out',
  activated: 'request.activated',
  expired: 'request.expired',
  revoked: 'request.revoked',
  failed: 'request.failed',
};

/**
 * Appends `event` to the request's own history (`request_events`) and to the hash-chained audit log, both in the
 * caller's transaction, so neither exists without the change it records.
 */
export async function recordEvent(repos: RequestTxRepos, event: RequestEvent): Promise<void> {
  await repos.requests.appendEvent(event);
  const data = JSON.parse(
    JSON.stringify({
      ...event.data,
      type: event.type,
      from_status: event.fromStatus,
      to_status: event.toStatus,
    }),
  ) as JsonObject;
  await repos.audit.append({
    at: event.createdAt,
    actor: event.actorId,
    action: AUDIT_ACTION[event.type],
    subject: event.requestId,
    data,
  });
}

/**
 * Writes the state change conditional on the version read, then its event, in the caller's transaction. Throws
 * `ConcurrentUpdate` (409) when another change landed first (the transaction then rolls back).
 */
export async function commitTransition(
  repos: RequestTxRepos,
  {
    request,
    change,
    actor,
    type,
    data = {},
    now,
  }: {
    request: AccessRequest;
    change: RequestChange;
    actor: Actor;
    type: RequestEventType;
    data?: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  const moved = await repos.requests.transition(request.id, request.version, change, now);
  if (!moved)
    throw new BrokerError('ConcurrentUpdate', 'the request changed meanwhile; reload it and try again', {
      details: { request_id: request.id, status: request.status, version: request.version },
    });
  await recordEvent(repos, {
    id: newId('evt'),
    requestId: request.id,
    seq: await repos.requests.nextEventSeq(request.id),
    actorId: actor.id,
    type,
    fromStatus: request.status,
    toStatus: change.status,
    data,
    createdAt: now,
  });
}
