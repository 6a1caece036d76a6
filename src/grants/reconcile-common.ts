/** Types and helpers shared by the `iam_role` and `identity_center` reconcilers (docs/grants.md "Reconciler"). */
import type { AccountRepo } from '../accounts/ports.ts';
import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import { revokeGrantJob } from './grant-jobs.ts';
import type { GrantSettings } from './grant-lifecycle.ts';
import type { GrantAws, GrantRepo, GrantTransaction } from './ports.ts';

/** What to do about a live grant whose role is missing or whose policy differs from the approved one. */
export const DRIFT_ACTIONS = ['repair', 'revoke', 'report'] as const;
export type DriftAction = (typeof DRIFT_ACTIONS)[number];

/** What the reconciler found and did in one account. */
export interface ReconcileFinding {
  readonly accountId: string;
  readonly kind:
    | 'orphan_role'
    | 'missing_role'
    | 'policy_drift'
    | 'orphan_permission_set'
    | 'orphan_assignment'
    | 'missing_assignment';
  /** The role, or in `identity_center` accounts the permission set ARN. */
  readonly roleName: string;
  readonly grantId: string | null;
  /**
   * `revoked` (orphan deleted), `repaired`, `revoking` (the grant's revocation job was queued), `reported`, in a dry
   * run `would revoke` / `would repair` / `would report`, or the error text.
   */
  readonly outcome: string;
}

/** What the reconciler needs. */
export interface ReconcileDeps {
  readonly grants: GrantRepo;
  readonly accounts: Pick<AccountRepo, 'list' | 'get'>;
  readonly transaction: GrantTransaction;
  readonly aws: GrantAws;
  readonly clock: Clock;
  readonly settings: GrantSettings;
  /** What to do about drift (default `repair`). */
  readonly onDrift?: DriftAction;
}

/** One run's options: `dryRun` reports without acting; `actor` is audited (default `system`). */
export interface ReconcileOptions {
  readonly dryRun?: boolean;
  readonly actor?: string;
}

/** Hands a drifted grant to its revocation job (which ends it, its request and its audit trail). */
export async function revokeForDrift(
  { transaction, clock }: Pick<ReconcileDeps, 'transaction' | 'clock'>,
  actor: string,
  grantId: string,
  kind: string,
): Promise<string> {
  const at = clock.now();
  return transaction(async (tx) => {
    const g = await tx.grants.get(grantId);
    if (g === undefined || g.status !== 'active') return `not revoked: the grant is ${g?.status ?? 'gone'}`;
    const reason = `reconciler: ${kind}`;
    if (
      !(await tx.grants.update(
        g.id,
        g.version,
        { status: 'revoking', revokedBy: actor, revokeReason: reason },
        at,
      ))
    )
      return 'not revoked: the grant changed meanwhile';
    await tx.jobs.enqueue(
      buildJob(revokeGrantJob, { grantId }, { runAt: at, dedupeKey: `revoke:${grantId}` }),
    );
    return 'revoking';
  });
}

/** Canonical JSON (object keys sorted) for comparing policies. */
export const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );
