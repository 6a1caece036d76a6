/**
 * The reconciler: compares each account's `/iam-jit/` roles with the grants table. Roles without a live grant are
 * revoked (orphans); active grants whose role is missing or whose policy differs from the approved one are drift,
 * repaired (re-provisioned) or revoked per `onDrift`. Every finding is audited (docs/grants.md "Reconciler").
 */
import type { AccountRepo } from '../accounts/ports.ts';
import type { Clock } from '../lib/clock.ts';
import { GRANT_POLICY_NAME, LIVE_GRANT_STATES, timeBoundPolicy } from './grant.ts';
import { type GrantSettings, roleSpecFor, spokeTargetOf } from './grant-lifecycle.ts';
import type { GrantAws, GrantRepo, GrantTransaction } from './ports.ts';

/** What the reconciler found and did in one account. */
export interface ReconcileFinding {
  readonly accountId: string;
  readonly kind: 'orphan_role' | 'missing_role' | 'policy_drift';
  readonly roleName: string;
  readonly grantId: string | null;
  /** `revoked`, `repaired`, or the error text. */
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
  /** What to do about a live grant whose role is missing or whose policy differs (default `repair`). */
  readonly onDrift?: 'repair' | 'revoke';
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );

/** Runs one reconciliation over every `iam_role` account with a spoke configured; returns the findings. */
export async function reconcileGrants({
  grants,
  accounts,
  transaction,
  aws,
  clock,
  settings,
  onDrift = 'repair',
}: ReconcileDeps): Promise<ReconcileFinding[]> {
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
      try {
        await aws.deleteRole(target, roleName, clock.now());
        findings.push({
          accountId: account.id,
          kind: 'orphan_role',
          roleName,
          grantId: grant?.id ?? null,
          outcome: 'revoked',
        });
      } catch (e) {
        findings.push({
          accountId: account.id,
          kind: 'orphan_role',
          roleName,
          grantId: grant?.id ?? null,
          outcome: String(e),
        });
      }
    }
    for (const grant of active) {
      const expected = timeBoundPolicy(grant.policy, grant.notAfter);
      const kind = !roles.has(grant.roleName)
        ? 'missing_role'
        : canonical(await aws.getGrantPolicy(target, grant.roleName)) !== canonical(expected)
          ? 'policy_drift'
          : undefined;
      if (kind === undefined) continue;
      let outcome: string;
      try {
        if (onDrift === 'repair') {
          await aws.provisionRole(target, roleSpecFor(grant, settings));
          outcome = 'repaired';
        } else {
          await aws.deleteRole(target, grant.roleName, clock.now());
          const at = clock.now();
          await transaction(async (tx) => {
            await tx.grants.update(
              grant.id,
              grant.version,
              { status: 'revoked', endedAt: at, revokedBy: 'system', revokeReason: `reconciler: ${kind}` },
              at,
            );
            await tx.jobs.cancel({ dedupeKey: `expire:${grant.id}` });
          });
          outcome = 'revoked';
        }
      } catch (e) {
        outcome = String(e);
      }
      findings.push({ accountId: account.id, kind, roleName: grant.roleName, grantId: grant.id, outcome });
    }
  }
  if (findings.length > 0)
    await transaction(async (tx) => {
      for (const f of findings)
        await tx.audit.append({
          at: clock.now(),
          actor: 'system',
          action: `reconcile.${f.kind}`,
          subject: f.grantId ?? f.roleName,
          data: {
            account_id: f.accountId,
            role_name: f.roleName,
            outcome: f.outcome,
            policy_name: GRANT_POLICY_NAME,
          },
        });
    });
  return findings;
}
