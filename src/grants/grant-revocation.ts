/**
 * Ending grants (expiry, revocation, clean-up after failed provisioning): `revoking`, then AWS, then the final state,
 * written once AWS confirmed. Concurrent ends are batched (group commit, `lib/batcher.ts`): the reads and the move to
 * `revoking` of all grants ending at the same moment take two statements, and their final states, request moves and
 * audit events one transaction, so a thousand grants expiring in the same second cost a few dozen transactions, not
 * thousands. The AWS calls stay one grant at a time and never run inside a transaction.
 */
import type { Account } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import { describeJobError } from '../jobs/job.ts';
import { type BatchOutcome, createBatcher } from '../lib/batcher.ts';
import type { Clock } from '../lib/clock.ts';
import type { Grant, GrantState } from './grant.ts';
import { identityCenterUserName, spokeTargetOf } from './grant-specs.ts';
import type { AlertSink, GrantAws, GrantRepo, GrantTransaction, RequestMove } from './ports.ts';

/** States a grant never leaves. */
export const ENDED_GRANT_STATES: readonly GrantState[] = ['expired', 'revoked', 'failed'];

/** What ending grants needs. */
export interface RevocationDeps {
  readonly grants: GrantRepo;
  readonly accounts: Pick<AccountRepo, 'get'>;
  readonly transaction: GrantTransaction;
  readonly aws: GrantAws;
  readonly clock: Clock;
  readonly alert: AlertSink;
  /** Most grants begun or finished in one batch (default 100). */
  readonly batchSize?: number;
}

/** How an end was asked for: by the expiry job (`expiry`), or by a revocation / clean-up job. */
export interface EndOptions {
  readonly expiry: boolean;
  readonly attempt?: number;
  readonly signal?: AbortSignal;
}

/** A grant moved to `revoking`, with its account (looked up once per batch). */
interface Begun {
  readonly grant: Grant;
  readonly account: Account | undefined;
}

const json = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;
const fulfilled = <T>(value: T): BatchOutcome<T> => ({ status: 'fulfilled', value });

/**
 * Returns `end(grantId, options)`: ends the grant (see `GrantLifecycle.end`). Resolves once the final state is
 * committed, or at once when there is nothing to do; rejects (the job retries) while AWS fails, after raising an
 * alert and auditing `alert.grant_revocation_failed`, or when another change moved the grant meanwhile.
 */
export function createRevocation(
  deps: RevocationDeps,
): (grantId: string, options: EndOptions) => Promise<void> {
  const { grants, accounts, transaction, aws, clock, alert, batchSize = 100 } = deps;

  const begin = createBatcher<{ grantId: string; expiry: boolean }, Begun | undefined>(
    async (items) => {
      const now = clock.now();
      const found = new Map(
        (await grants.getMany([...new Set(items.map((i) => i.grantId))])).map((g) => [g.id, g]),
      );
      const wanted = (item: { grantId: string; expiry: boolean }): Grant | undefined => {
        const g = found.get(item.grantId);
        if (g === undefined || ENDED_GRANT_STATES.includes(g.status)) return undefined;
        // An expiry job of a grant whose `not_after` moved later (extended) has nothing to do.
        if (item.expiry && g.status !== 'revoking' && g.notAfter > now) return undefined;
        return g;
      };
      const toMove = new Map<string, { id: string; version: number }>();
      for (const item of items) {
        const g = wanted(item);
        if (g !== undefined && g.status !== 'revoking') toMove.set(g.id, { id: g.id, version: g.version });
      }
      // One conditional UPDATE, no audit event: `revoking` is the in-between state; the audit log records the
      // request (`grant.revoke_requested`), any AWS failure (`alert.grant_revocation_failed`) and the confirmed end.
      const moved = await grants.markRevoking([...toMove.values()], now);
      const accountIds = [...new Set([...found.values()].map((g) => g.accountId))];
      const byId = new Map(
        await Promise.all(accountIds.map(async (id) => [id, await accounts.get(id)] as const)),
      );
      // Of several ends of one grant that this batch moved, the first goes on; the others retry, as a second end
      // racing the move always did (an end of a grant already `revoking` goes on: the revocation is idempotent).
      const started = new Set<string>();
      return items.map((item): BatchOutcome<Begun | undefined> => {
        const g = wanted(item);
        if (g === undefined) return fulfilled(undefined);
        const account = byId.get(g.accountId);
        if (g.status === 'revoking') return fulfilled({ grant: g, account });
        if (!moved.has(g.id) || started.has(g.id))
          return { status: 'rejected', reason: new Error(`grant ${g.id} changed meanwhile; retrying`) };
        started.add(g.id);
        return fulfilled({ grant: { ...g, status: 'revoking', version: g.version + 1 }, account });
      });
    },
    { maxSize: batchSize },
  );

  const finish = createBatcher<{ grant: Grant; expiry: boolean }, void>(
    async (items) => {
      await transaction(async (tx) => {
        const at = clock.now();
        // The grants still `revoking` end here; one another run already finished is left alone.
        const ended = await tx.grants.finishRevoking([...new Set(items.map((i) => i.grant.id))], at);
        const endedIds = new Set(ended.map((g) => g.id));
        for (const item of items)
          if (!item.expiry && endedIds.has(item.grant.id))
            await tx.jobs.cancel({ dedupeKey: `expire:${item.grant.id}` });
        // A request ends with its last grant: `revoked` if any was, `failed` if all were, else `expired`.
        const lastEnded = new Map(ended.map((g) => [g.requestId, g.id]));
        // Another process may be ending the same request's other grants right now: lock the requests first, so the
        // sibling read below sees its commit (or it sees ours) and one of the two ends the request.
        await tx.requests.lock([...lastEnded.keys()]);
        const siblings = await tx.grants.byRequests([...lastEnded.keys()]);
        const moves: RequestMove[] = [];
        for (const [requestId, grantId] of lastEnded) {
          const all = siblings.filter((g) => g.requestId === requestId);
          if (!all.every((g) => ENDED_GRANT_STATES.includes(g.status))) continue;
          const to = all.some((g) => g.status === 'revoked')
            ? 'revoked'
            : all.every((g) => g.status === 'failed')
              ? 'failed'
              : 'expired';
          moves.push({ requestId, from: ['approved', 'active'], to, cause: { data: { grant_id: grantId } } });
        }
        await tx.requests.moveMany(moves, at);
        await tx.requests.endExtensions(
          ended.map((g) => ({ grantId: g.id, final: g.status })),
          at,
        );
        await tx.audit.appendMany(
          ended.map((g) => ({
            at,
            actor: 'system',
            action: `grant.${g.status}`,
            subject: g.id,
            data: json({ account_id: g.accountId, role_name: g.roleName, not_after: g.notAfter }),
          })),
        );
      });
      return items.map(() => fulfilled(undefined));
    },
    { maxSize: batchSize },
  );

  async function revokeInAws(
    { grant, account }: Begun,
    signal: AbortSignal | undefined,
    expiry: boolean,
  ): Promise<void> {
    const target = spokeTargetOf(account, grant.accountId);
    if (grant.mode !== 'identity_center') {
      const now = clock.now();
      // Past not_after the role's own time conditions already allow nothing: no deny write needed. A grant whose
      // revocation was requested early (`revoking` before not_after) keeps the deny.
      await aws.deleteRole(
        target,
        grant.roleName,
        now,
        signal,
        expiry && grant.notAfter <= now ? { expired: true } : undefined,
      );
      return;
    }
    const shared = account?.permissionSetArn ?? undefined;
    const psArn = shared ?? grant.roleArn;
    // A shared assignment goes only with its last lease (another pending or active grant keeps it).
    const leases =
      shared === undefined || psArn === null
        ? 0
        : await grants.countAssignmentLeases({
            requesterId: grant.requesterId,
            accountId: grant.accountId,
            permissionSetArn: psArn,
            excludeId: grant.id,
          });
    if (psArn !== null && leases === 0)
      await aws.deleteAssignment(
        target,
        { userName: identityCenterUserName(grant.requesterId), accountId: grant.accountId },
        psArn,
        clock.now(),
        { signal, shared: shared !== undefined },
      );
  }

  return async (grantId, { expiry, attempt = 1, signal }) => {
    signal?.throwIfAborted();
    const begun = await begin({ grantId, expiry });
    if (begun === undefined) return;
    try {
      await revokeInAws(begun, signal, expiry);
    } catch (e) {
      const message = describeJobError(e);
      alert({ kind: 'grant.revocation_failed', grantId, message, attempt });
      await transaction((tx) =>
        tx.audit.append({
          at: clock.now(),
          actor: 'system',
          action: 'alert.grant_revocation_failed',
          subject: grantId,
          data: { attempt, error: message },
        }),
      );
      throw e;
    }
    await finish({ grant: begun.grant, expiry });
  };
}
