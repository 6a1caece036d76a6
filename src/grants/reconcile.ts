/**
 * The reconciler: compares each account's `/iam-jit/` roles with the grants table. Roles without a live grant are
 * revoked (orphans); active grants whose role is missing or whose policy differs from the approved one are drift,
 * repaired (re-provisioned), revoked (through the grant's own revocation job) or only reported, per `onDrift`.
 * Every finding is audited (docs/grants.md "Reconciler").
 */
import type { AccountRepo } from '../accounts/ports.ts';
import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import { GRANT_POLICY_NAME, LIVE_GRANT_STATES, timeBoundPolicy } from './grant.ts';
import { revokeGrantJob } from './grant-jobs.ts';
import { type GrantSettings, roleSpecFor, spokeTargetOf } from './grant-lifecycle.ts';
import type { GrantAws, GrantRepo, GrantTransaction } from './ports.ts';

/** What to do about a live grant whose role is missing or whose policy differs from the approved one. */
export const DRIFT_ACTIONS = ['repair', 'revoke', 'report'] as const;
export type DriftAction = (typeof DRIFT_ACTIONS)[number];

/** What the reconciler found and did in one account. */
export interface ReconcileFinding {
  readonly accountId: string;
  readonly kind: 'orphan_role' | 'missing_role' | 'policy_drift' | 'orphan_assignment' | 'missing_assignment';
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

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );

/**
 * Runs one reconciliation over every `iam_role` account with a spoke configured; returns the findings. Each
 * finding is audited as `reconcile.<kind>` (also in a dry run, with the `would …` outcome); a run started by a
 * person (`actor` other than `system`) is also audited as `reconcile.run` with its counts.
 */
export async function reconcileGrants(
  { grants, accounts, transaction, aws, clock, settings, onDrift = 'repair' }: ReconcileDeps,
  { dryRun = false, actor = 'system' }: ReconcileOptions = {},
): Promise<ReconcileFinding[]> {
  const findings: ReconcileFinding[] = [];
  const all = await accounts.list({ limit: 1000 });
  for (const account of all) {
    if (
      account.provisioningMode !== 'iam_role' ||
      account.spokeRoleArn === null ||
      account.externalId === null
    )
      continue;
    const target = spokeTargetOf(account, account.id);
    const roles = new Set(await aws.listGrantRoles(target));
    const active = await grants.list({ accountId: account.id, status: 'active', limit: 100_000 });
    const byRole = new Map(active.map((g) => [g.roleName, g]));
    for (const roleName of roles) {
      if (byRole.has(roleName)) continue;
      const grantId = roleName.startsWith('iam-jit-') ? roleName.slice('iam-jit-'.length) : null;
      const grant = grantId === null ? undefined : await grants.get(grantId);
      // Pending and revoking grants are being provisioned or revoked by their own jobs right now.
      if (grant !== undefined && LIVE_GRANT_STATES.includes(grant.status)) continue;
      let outcome = 'would revoke';
      if (!dryRun)
        try {
          await aws.deleteRole(target, roleName, clock.now());
          outcome = 'revoked';
        } catch (e) {
          outcome = String(e);
        }
      findings.push({
        accountId: account.id,
        kind: 'orphan_role',
        roleName,
        grantId: grant?.id ?? null,
        outcome,
      });
    }
    for (const grant of active) {
      const expected = timeBoundPolicy(grant.policy, grant.notAfter, grant.regions);
      const kind = !roles.has(grant.roleName)
        ? 'missing_role'
        : canonical(await aws.getGrantPolicy(target, grant.roleName)) !== canonical(expected)
          ? 'policy_drift'
          : undefined;
      if (kind === undefined) continue;
      let outcome: string = dryRun ? `would ${onDrift}` : 'reported';
      if (!dryRun && onDrift === 'repair')
        try {
          await aws.provisionRole(target, roleSpecFor(grant, settings));
          outcome = 'repaired';
        } catch (e) {
          outcome = String(e);
        }
      else if (!dryRun && onDrift === 'revoke') outcome = await revokeForDrift(grant.id, kind);
      findings.push({ accountId: account.id, kind, roleName: grant.roleName, grantId: grant.id, outcome });
    }
  }

  /** Hands a drifted grant to its revocation job (which ends it, its request and its audit trail). */
  async function revokeForDrift(grantId: string, kind: string): Promise<string> {
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

  if (findings.length > 0 || actor !== 'system')
    await transaction(async (tx) => {
      for (const f of findings)
        await tx.audit.append({
          at: clock.now(),
          actor,
          action: `reconcile.${f.kind}`,
          subject: f.grantId ?? f.roleName,
          data: {
            account_id: f.accountId,
            role_name: f.roleName,
            outcome: f.outcome,
            policy_name: GRANT_POLICY_NAME,
            dry_run: dryRun,
          },
        });
      if (actor !== 'system')
        await tx.audit.append({
          at: clock.now(),
          actor,
          action: 'reconcile.run',
          subject: null,
          data: { dry_run: dryRun, on_drift: onDrift, findings: findings.length },
        });
    });
  return findings;
}
