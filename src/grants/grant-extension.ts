/**
 * Extending a grant (a new `not_after`): the one place that moves it, for both paths — an approver's direct
 * extension (`GrantService.extend`) and the approval of a requester's extension request (a request with
 * `extends_grant_id`, approved under the same quorum and self-approval rules as any request). docs/grants.md "Extend".
 */
import type { Account } from '../accounts/account.ts';
import { buildJob } from '../jobs/index.ts';
import { HOUR } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import type { Grant } from './grant.ts';
import { refreshGrantJob } from './grant-jobs.ts';
import type { ApprovedRequest } from './grant-lifecycle.ts';
import type { GrantTxRepos } from './ports.ts';

/** The longest a grant may last in hours: the account's maximum, else the deployment's. */
export function maxGrantHours(
  account: Pick<Account, 'maxDurationHours'> | undefined,
  deploymentMax: number,
): number {
  return Math.min(deploymentMax, account?.maxDurationHours ?? deploymentMax);
}

/**
 * The `not_after` after extending `grant` by `hours`. Throws `InvalidInput` for a non-positive `hours`,
 * `DurationExceedsMax` (422) when the total from `not_before` would pass `maxHours`.
 */
export function extendedNotAfter(grant: Grant, hours: unknown, maxHours: number): Date {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0)
    throw new BrokerError('InvalidInput', 'hours: must be a positive number', {
      details: { field: 'hours' },
    });
  const notAfter = new Date(grant.notAfter.getTime() + Math.round(hours * HOUR));
  const total = (notAfter.getTime() - grant.notBefore.getTime()) / HOUR;
  if (total > maxHours + 1e-9)
    throw new BrokerError(
      'DurationExceedsMax',
      `the grant would last ${total} h; the maximum is ${maxHours} h`,
      {
        details: { grant_id: grant.id, max_duration_hours: maxHours, requested_total_hours: total },
      },
    );
  return notAfter;
}

/**
 * In the caller's transaction: moves the active grant's `not_after` (conditional on `expectedVersion`), reschedules
 * its expiry job, queues `grant.refresh` (which rewrites the role's or permission set's time conditions) and audits
 * `grant.extended`. Throws `IllegalTransition` when the grant is no longer active, `ConcurrentUpdate` when it
 * changed meanwhile. Returns the updated grant.
 */
export async function applyExtension(
  tx: Pick<GrantTxRepos, 'grants' | 'jobs' | 'audit'>,
  grant: Grant,
  notAfter: Date,
  { actorId, now, data }: { actorId: string; now: Date; data: Record<string, string | number | null> },
): Promise<Grant> {
  if (grant.status !== 'active')
    throw new BrokerError('IllegalTransition', `cannot extend a grant that is ${grant.status}`, {
      details: { grant_id: grant.id, status: grant.status, allowed_from: ['active'] },
    });
  if (!(await tx.grants.update(grant.id, grant.version, { status: 'active', notAfter }, now)))
    throw new BrokerError('ConcurrentUpdate', 'the grant changed meanwhile; reload it and try again', {
      details: { grant_id: grant.id },
    });
  await tx.jobs.reschedule({ dedupeKey: `expire:${grant.id}` }, notAfter);
  await tx.jobs.enqueue(
    buildJob(
      refreshGrantJob,
      { grantId: grant.id },
      { runAt: now, dedupeKey: `refresh:${grant.id}:${notAfter.toISOString()}` },
    ),
  );
  await tx.audit.append({
    at: now,
    actor: actorId,
    action: 'grant.extended',
    subject: grant.id,
    data: { ...data, from: grant.notAfter.toISOString(), to: notAfter.toISOString() },
  });
  return { ...grant, notAfter, version: grant.version + 1, updatedAt: now };
}

/**
 * The approval hand-off of an extension request (`request.extendsGrantId`), in the approving transaction: extends
 * the grant by the request's `duration_hours` (checked again against the maximum: another extension may have landed
 * since the request was made), then moves the extension request `approved → active`; it ends with the grant.
 * Throws like `applyExtension` / `extendedNotAfter` (the approval then rolls back).
 */
export async function extendGrantOnApproval(
  tx: GrantTxRepos,
  { request, accounts, approverIds, now, actorId }: ApprovedRequest & { actorId?: string },
  { maxDurationHours }: { maxDurationHours: number },
): Promise<void> {
  const grantId = request.extendsGrantId;
  if (grantId == null) throw new Error(`request ${request.id} extends no grant`);
  const grant = await tx.grants.get(grantId);
  if (grant === undefined) throw new BrokerError('NotFound', `grant ${grantId} not found`);
  const notAfter = extendedNotAfter(
    grant,
    request.durationHours,
    maxGrantHours(
      accounts.find((a) => a.id === grant.accountId),
      maxDurationHours,
    ),
  );
  await applyExtension(tx, grant, notAfter, {
    actorId: actorId ?? 'system',
    now,
    data: {
      request_id: request.id,
      hours: request.durationHours,
      reason: request.justification,
      approver_ids: approverIds.join(' '),
    },
  });
  await tx.requests.move(request.id, ['approved'], 'active', now, { data: { grant_id: grantId } });
}
