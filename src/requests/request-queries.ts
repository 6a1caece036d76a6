/** Reading requests: one with its history, lists with keyset cursors, and what waits on an approver. */
import { BrokerError } from '../lib/errors.ts';
import type { RequestListQuery, RequestRepos } from './ports.ts';
import type { AccessRequest, RequestDetail } from './request.ts';
import { loadVisible } from './request-common.ts';
import { type Actor, isAdmin } from './request-rules.ts';
import { isRequestStatus, type RequestStatus } from './request-state.ts';

/** A page of requests and the cursor of the next one (null on the last page). */
export interface RequestPage {
  readonly items: readonly AccessRequest[];
  readonly nextCursor: string | null;
}

/** List filters as the API takes them. */
export interface ListOptions {
  /** Default true: only the caller's own requests. false: everything the caller may see (approvers, admins). */
  mine?: boolean;
  status?: string;
  accountId?: string;
  cursor?: string;
  /** 1–100, default 50. */
  limit?: number;
}

/** Encodes a keyset position as an opaque URL-safe cursor. */
export function encodeCursor(r: Pick<AccessRequest, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([r.createdAt.toISOString(), r.id])).toString('base64url');
}

/** Decodes `encodeCursor`; throws `InvalidInput` on anything else. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const createdAt = new Date(String(at));
    if (typeof id === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new BrokerError('InvalidInput', 'cursor: not a cursor returned by this API', {
    details: { field: 'cursor' },
  });
}

function pageSize(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new BrokerError('InvalidInput', 'limit: must be an integer from 1 to 100', {
      details: { field: 'limit' },
    });
  return n;
}

async function page(
  repos: RequestRepos,
  query: Omit<RequestListQuery, 'limit'>,
  limit: number,
): Promise<RequestPage> {
  const rows = await repos.requests.list({ ...query, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The read use cases. */
export interface QueryUseCases {
  get(actor: Actor, id: string): Promise<RequestDetail>;
  list(actor: Actor, options?: ListOptions): Promise<RequestPage>;
  pending(actor: Actor, options?: { cursor?: string; limit?: number }): Promise<RequestPage>;
}

/** Creates the read use cases (documented on each implementation below). */
export function createQueryUseCases({ repos }: { repos: RequestRepos }): QueryUseCases {
  return {
    /** The request with revisions, reviews, comments, current approvals and events; `NotFound` when not visible. */
    async get(actor: Actor, id: string): Promise<RequestDetail> {
      const { request } = await loadVisible(repos, actor, id);
      const [revisions, reviews, comments, events] = await Promise.all([
        repos.requests.revisions(id),
        repos.requests.reviews(id),
        repos.requests.comments(id),
        repos.requests.events(id),
      ]);
      const approvals = reviews.filter(
        (r) => r.decision === 'approve' && r.revision === request.currentRevision,
      );
      return { request, revisions, reviews, comments, approvals, events };
    },

    /**
     * Lists requests newest first. `mine` (default) lists the caller's own; `mine: false` lists every request the
     * caller may see (admins: all; approvers: their accounts' and their own; requesters: their own).
     */
    async list(actor: Actor, options: ListOptions = {}): Promise<RequestPage> {
      const limit = pageSize(options.limit);
      let status: RequestStatus | undefined;
      if (options.status !== undefined) {
        if (!isRequestStatus(options.status))
          throw new BrokerError('InvalidInput', `status: unknown status ${options.status}`, {
            details: { field: 'status' },
          });
        status = options.status;
      }
      const query: Omit<RequestListQuery, 'limit'> = {
        status,
        accountId: options.accountId,
        after: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      };
      if (options.mine ?? true) query.requesterId = actor.id;
      else if (!isAdmin(actor))
        query.visibleTo = { userId: actor.id, accountIds: await visibleAccountIds(repos, actor) };
      return page(repos, query, limit);
    },

    /** Pending requests the caller can approve and has not approved on their current revision (never their own). */
    async pending(actor: Actor, options: { cursor?: string; limit?: number } = {}): Promise<RequestPage> {
      const limit = pageSize(options.limit);
      const query: Omit<RequestListQuery, 'limit'> = {
        status: 'pending',
        notRequesterId: actor.id,
        notApprovedBy: actor.id,
        after: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      };
      if (!isAdmin(actor)) {
        const accountIds = await visibleAccountIds(repos, actor);
        if (accountIds.length === 0) return { items: [], nextCursor: null };
        query.visibleTo = { userId: '', accountIds };
      }
      return page(repos, query, limit);
    },
  };
}

/** Accounts whose requests an approver sees: those listing them, and only while they hold the approver role. */
async function visibleAccountIds(repos: RequestRepos, actor: Actor): Promise<string[]> {
  return actor.roles.includes('approver') ? repos.accounts.idsApprovedBy(actor.id) : [];
}
