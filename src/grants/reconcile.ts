import { GRANT_POLICY_NAME, LIVE_GRANT_STATES, timeBoundPolicy } from './grant.ts';
import { roleSpecFor, spokeTargetOf } from './grant-lifecycle.ts';
import {
  canonical,
  type ReconcileDeps,
  type ReconcileFinding,
  type ReconcileOptions,
  revokeForDrift,
} from './reconcile-common.ts';
import { reconcileIdentityCenter } from './reconcile-identity-center.ts';

export {
  DRIFT_ACTIONS,
  type DriftAction,
  type ReconcileDeps,
  type ReconcileFinding,
  type ReconcileOptions,
} from './reconcile-common.ts';

/**
 * Runs one reconciliation over every `iam_role` and `identity_center` account with a spoke configured; returns the findings. Each
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
    if (account.spokeRoleArn === null || account.externalId === null) continue;
    if (account.provisioningMode === 'identity_center') {
      findings.push(
        ...(await reconcileIdentityCenter(
          { grants, transaction, aws, clock, onDrift },
          spokeTargetOf(account, account.id),
          { dryRun, actor, permissionSetArn: account.permissionSetArn },
        )),
      );
      continue;
    }
    if (account.provisioningMode !== 'iam_role') continue;
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
      else if (!dryRun && onDrift === 'revoke')
        outcome = await revokeForDrift({ transaction, clock }, actor, grant.id, kind);
      findings.push({ accountId: account.id, kind, roleName: grant.roleName, grantId: grant.id, outcome });
    }
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
