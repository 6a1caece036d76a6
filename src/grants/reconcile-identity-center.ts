/**
 * The reconciler for `identity_center` accounts (docs/grants.md "Reconciler"): per-grant permission sets tagged
 * `managed-by=iam-jit` without a live grant are removed (`orphan_permission_set`); on an admin's shared set, an
 * assignment iam-jit made for a user with no live lease left is removed (`orphan_assignment`; users iam-jit never
 * granted that set are the admin's and left alone); an active grant whose set or assignment is missing
 * (`missing_assignment`) or whose set's policy differs (`policy_drift`) is repaired, revoked or reported per
 * `onDrift`. Pending and revoking grants are left to their own jobs.
 */
import { type Grant, LIVE_GRANT_STATES, timeBoundPolicy } from './grant.ts';
import { assignmentSpecFor, identityCenterUserName } from './grant-lifecycle.ts';
import type { SpokeTarget } from './ports.ts';
import {
  canonical,
  type DriftAction,
  type ReconcileDeps,
  type ReconcileFinding,
  revokeForDrift,
} from './reconcile-common.ts';

type Deps = Pick<ReconcileDeps, 'grants' | 'transaction' | 'aws' | 'clock'> & {
  readonly onDrift: DriftAction;
};

const userOf = (g: Grant): string | undefined =>
  g.requesterId.startsWith('email:') ? identityCenterUserName(g.requesterId) : undefined;

/** Reconciles one `identity_center` account; returns its findings (audited by the caller). */
export async function reconcileIdentityCenter(
  deps: Deps,
  target: SpokeTarget,
  {
    dryRun,
    actor,
    permissionSetArn,
  }: {
    dryRun: boolean;
    actor: string;
    /** The account's admin-chosen permission set, or null. */
    permissionSetArn: string | null;
  },
): Promise<ReconcileFinding[]> {
  const { grants, aws, clock, onDrift } = deps;
  if (aws.inspectPermissionSets === undefined) return [];
  const accountId = target.accountId;
  const shared = permissionSetArn ?? undefined;
  const inventory = await aws.inspectPermissionSets(target, accountId, shared === undefined ? [] : [shared]);
  const all = await grants.list({ accountId, limit: 100_000 });
  const findings: ReconcileFinding[] = [];
  const found = (kind: ReconcileFinding['kind'], arn: string, grantId: string | null, outcome: string) =>
    findings.push({ accountId, kind, roleName: arn, grantId, outcome });
  const attempt = async (work: () => Promise<unknown>, done: string): Promise<string> => {
    try {
      await work();
      return done;
    } catch (e) {
      return String(e);
    }
  };

  // Per-grant permission sets nobody owns any more.
  for (const ps of inventory.filter((p) => p.managedByIamJit && p.arn !== shared)) {
    const grant = all.find((g) => g.id === ps.name) ?? (await grants.get(ps.name));
    // A set provisioned nowhere here is removed only when its grant is this account's and in this database: one
    // instance can serve several accounts (that account's pass decides) and several deployments (another
    // deployment's grant is unknown here, and its set must not be touched).
    if (!ps.provisioned && (grant === undefined || grant.accountId !== accountId)) continue;
    if (grant !== undefined && LIVE_GRANT_STATES.includes(grant.status)) continue;
    const outcome = dryRun
      ? 'would revoke'
      : await attempt(
          async () => aws.deletePermissionSet?.(target, accountId, ps.arn, clock.now()),
          'revoked',
        );
    found('orphan_permission_set', ps.arn, grant?.id ?? null, outcome);
  }

  // Assignments of the shared set that iam-jit made and no live lease holds any more.
  const sharedState = inventory.find((p) => p.arn === shared);
  if (shared !== undefined && sharedState !== undefined)
    for (const userName of sharedState.userNames) {
      const history = all.filter((g) => g.requesterId === `email:${userName}` && g.roleArn === shared);
      if (history.length === 0 || history.some((g) => LIVE_GRANT_STATES.includes(g.status))) continue;
      const outcome = dryRun
        ? 'would revoke'
        : await attempt(
            () =>
              aws.deleteAssignment(target, { userName, accountId }, shared, clock.now(), { shared: true }),
            'revoked',
          );
      found('orphan_assignment', shared, history[0]?.id ?? null, outcome);
    }

  // Drift of active grants.
  for (const grant of all.filter((g) => g.status === 'active' && g.mode === 'identity_center')) {
    const userName = userOf(grant);
    const arn = shared ?? grant.roleArn;
    const ps = inventory.find((p) => p.arn === arn);
    const kind =
      ps === undefined || userName === undefined || !ps.userNames.includes(userName)
        ? 'missing_assignment'
        : shared === undefined &&
            canonical(ps.inlinePolicy) !==
              canonical(timeBoundPolicy(grant.policy, grant.notAfter, grant.regions))
          ? 'policy_drift'
          : undefined;
    if (kind === undefined) continue;
    let outcome = dryRun ? `would ${onDrift}` : 'reported';
    if (!dryRun && onDrift === 'repair')
      outcome = await attempt(
        () =>
          aws.provisionAssignment(target, assignmentSpecFor(grant), {
            existingPermissionSetArn: ps === undefined && shared === undefined ? null : (arn ?? null),
            shared: shared !== undefined,
            // A per-grant set deleted by hand is created again: record its new ARN on the grant.
            onPermissionSetCreated: async (created) => {
              if (
                !(await grants.update(
                  grant.id,
                  grant.version,
                  { status: 'active', roleArn: created },
                  clock.now(),
                ))
              )
                throw new Error(`grant ${grant.id} changed meanwhile`);
            },
          }),
        'repaired',
      );
    else if (!dryRun && onDrift === 'revoke') outcome = await revokeForDrift(deps, actor, grant.id, kind);
    found(kind, arn ?? grant.roleName, grant.id, outcome);
  }
  return findings;
}
