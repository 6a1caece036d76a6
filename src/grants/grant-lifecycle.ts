/**
 * The grant lifecycle run by jobs: create grants on approval (in the approving transaction), provision at
 * `not_before`, and end (expire or revoke) once AWS confirms. AWS calls never run inside a transaction.
 */
import type { Account } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import { buildJob, type JobRecord, PermanentJobError } from '../jobs/index.ts';
import { describeJobError } from '../jobs/job.ts';
import { type Clock, HOUR } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import {
  GRANT_MAX_SESSION_SECONDS,
  GRANT_POLICY_NAME,
  GRANT_ROLE_PATH,
  type Grant,
  type GrantState,
  grantRoleName,
  grantTags,
  grantTrustPolicy,
  timeBoundPolicy,
} from './grant.ts';
import { expireGrantJob, provisionGrantJob, revokeGrantJob } from './grant-jobs.ts';
import type {
  AlertSink,
  AssignmentSpec,
  GrantAws,
  GrantRepo,
  GrantTransaction,
  GrantTxRepos,
  RoleSpec,
  SpokeTarget,
} from './ports.ts';

/** Deployment settings of provisioning. */
export interface GrantSettings {
  /** The broker principal that vends credentials (trusted by every grant role), e.g. the hub role's ARN. */
  readonly vendingPrincipalArn: string;
  /** Name of the permissions boundary policy in every spoke account (`arn:aws:iam::<account>:policy/<name>`). */
  readonly permissionsBoundaryName: string | null;
  /**
   * `identity_center` accounts whose grants use an admin-chosen existing permission set (account id → its ARN)
   * instead of a per-grant one. Overlapping grants then share one assignment, counted by leases.
   */
  readonly sharedPermissionSets?: Readonly<Record<string, string>>;
}

/** What the lifecycle needs. */
export interface GrantLifecycleDeps {
  readonly grants: GrantRepo;
  readonly accounts: Pick<AccountRepo, 'get'>;
  readonly transaction: GrantTransaction;
  readonly aws: GrantAws;
  readonly clock: Clock;
  readonly settings: GrantSettings;
  readonly alert?: AlertSink;
}

/** An approval as the hand-off receives it. */
export interface ApprovedRequest {
  readonly request: AccessRequest;
  readonly revision: Revision;
  readonly accounts: readonly Account[];
  readonly approverIds: readonly string[];
  readonly now: Date;
}

const json = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

/**
 * Creates one `pending` grant per account of an approved request and enqueues its provisioning at `not_before`
 * (the request's `start_at`, or now), with `not_after = not_before + duration`. Call inside the approving
 * transaction with repos bound to it, so the grants and jobs commit with the approval. Returns the grants.
 */
export async function createGrantsForApproval(
  repos: Pick<GrantTxRepos, 'grants' | 'jobs' | 'audit'>,
  { request, revision, accounts, approverIds, now }: ApprovedRequest,
): Promise<Grant[]> {
  const notBefore = request.startAt !== null && request.startAt > now ? request.startAt : now;
  const notAfter = new Date(notBefore.getTime() + request.durationHours * HOUR);
  const created: Grant[] = [];
  for (const account of accounts) {
    const id = newId('grt');
    const grant: Grant = {
      id,
      requestId: request.id,
      accountId: account.id,
      requesterId: request.requesterId,
      approverIds: [...approverIds].sort(),
      revision: revision.number,
      mode: account.provisioningMode,
      status: 'pending',
      policy: revision.policy,
      notBefore,
      notAfter,
      roleName: grantRoleName(id),
      roleArn: null,
      activatedAt: null,
      endedAt: null,
      endReason: null,
      revokedBy: null,
      revokeReason: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      regions: request.regions ?? null,
    };
    await repos.grants.insert(grant);
    await repos.jobs.enqueue(
      buildJob(provisionGrantJob, { grantId: id }, { runAt: notBefore, dedupeKey: `provision:${id}` }),
    );
    created.push(grant);
  }
  for (const g of created)
    await repos.audit.append({
      at: now,
      actor: 'system',
      action: 'grant.created',
      subject: g.id,
      data: json({
        request_id: g.requestId,
        account_id: g.accountId,
        not_before: g.notBefore,
        not_after: g.notAfter,
      }),
    });
  return created;
}

/** The spoke target of an account, or an Error naming what is missing (a configuration problem). */
export function spokeTargetOf(account: Account | undefined, accountId: string): SpokeTarget {
  if (account === undefined) throw new Error(`account ${accountId} no longer exists`);
  if (account.spokeRoleArn === null || account.externalId === null)
    throw new Error(`account ${accountId} has no spoke role ARN or external id configured`);
  return { accountId, spokeRoleArn: account.spokeRoleArn, externalId: account.externalId };
}

/** The role `grant` provisions, as `provisionRole` converges it. */
export function roleSpecFor(grant: Grant, settings: GrantSettings): RoleSpec {
  return {
    roleName: grant.roleName,
    path: GRANT_ROLE_PATH,
    trustPolicy: grantTrustPolicy({
      vendingPrincipalArn: settings.vendingPrincipalArn,
      requesterId: grant.requesterId,
      notAfter: grant.notAfter,
    }),
    inlinePolicyName: GRANT_POLICY_NAME,
    inlinePolicy: timeBoundPolicy(grant.policy, grant.notAfter, grant.regions),
    permissionsBoundaryArn:
      settings.permissionsBoundaryName === null
        ? null
        : `arn:aws:iam::${grant.accountId}:policy/${settings.permissionsBoundaryName}`,
    maxSessionDurationSeconds: GRANT_MAX_SESSION_SECONDS,
    tags: grantTags(grant),
    description: `iam-jit grant ${grant.id} for ${grant.requesterId} until ${grant.notAfter.toISOString()}`,
  };
}

/**
 * The Identity Center `userName` of an iam-jit user: the address of an `email:` user. Throws PermanentJobError for
 * other users (an `iam:` principal has no Identity Center user), which fails the grant.
 */
export function identityCenterUserName(userId: string): string {
  if (!userId.startsWith('email:'))
    throw new PermanentJobError(`identity_center grants need an email: user, not ${userId}`);
  return userId.slice('email:'.length);
}

/** The per-grant permission set and assignment of an `identity_center` grant. */
export function assignmentSpecFor(grant: Grant): AssignmentSpec {
  return {
    accountId: grant.accountId,
    userName: identityCenterUserName(grant.requesterId),
    permissionSetName: grant.id,
    description: `iam-jit grant ${grant.id} until ${grant.notAfter.toISOString()}`,
    inlinePolicy: timeBoundPolicy(grant.policy, grant.notAfter, grant.regions),
    tags: grantTags(grant),
  };
}

const ENDED: readonly GrantState[] = ['expired', 'revoked', 'failed'];

/** The job-driven transitions of grants. */
export interface GrantLifecycle {
  /** Provisions a pending grant and activates it (idempotent; a no-op for any other state). Throws on AWS errors. */
  provision(grantId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Ends a grant: `revoking`, then AWS revocation, then `expired` (or `revoked` when someone revoked it). Stays
   * `revoking` and throws (so the job retries) while AWS fails, raising an alert. No-op when already ended, or for
   * an expiry job of a grant whose `not_after` moved later.
   */
  end(grantId: string, options: { expiry: boolean; attempt?: number; signal?: AbortSignal }): Promise<void>;
  /** Converges an active grant's role to its current `not_after` (after an extension); no-op otherwise. */
  refresh(grantId: string, signal?: AbortSignal): Promise<void>;
  /** Dead-letter hook: a provision job given up fails its grant; a dead revocation raises an alert. */
  onJobDead(job: JobRecord, error: string): Promise<void>;
}

/** Creates the lifecycle over its ports. */
export function createGrantLifecycle(deps: GrantLifecycleDeps): GrantLifecycle {
  const { grants, accounts, transaction, aws, clock, settings, alert = () => {} } = deps;

  async function finishRequestIfDone(
    tx: GrantTxRepos,
    requestId: string,
    now: Date,
    grantId?: string,
  ): Promise<void> {
    const all = await tx.grants.byRequest(requestId);
    if (!all.every((g) => ENDED.includes(g.status))) return;
    const to = all.some((g) => g.status === 'revoked')
      ? 'revoked'
      : all.every((g) => g.status === 'failed')
        ? 'failed'
        : 'expired';
    await tx.requests.move(requestId, ['approved', 'active'], to, now, { data: { grant_id: grantId } });
  }

  // One conditional UPDATE, no audit event: `revoking` is the in-between state; the audit log records the request
  // (`grant.revoke_requested`), any AWS failure (`alert.grant_revocation_failed`) and the confirmed end.
  async function markRevoking(grant: Grant, now: Date): Promise<Grant> {
    if (grant.status === 'revoking') return grant;
    const moved = await grants.update(grant.id, grant.version, { status: 'revoking' }, now);
    if (!moved) throw new Error(`grant ${grant.id} changed meanwhile; retrying`);
    return { ...grant, status: 'revoking', version: grant.version + 1 };
  }

  return {
    async provision(grantId, signal) {
      const grant = await grants.get(grantId);
      if (grant === undefined || grant.status !== 'pending') return;
      const now = clock.now();
      if (now >= grant.notAfter) {
        await this.end(grantId, { expiry: true, signal });
        return;
      }
      const target = spokeTargetOf(await accounts.get(grant.accountId), grant.accountId);
      const shared = settings.sharedPermissionSets?.[grant.accountId];
      const roleArn =
        grant.mode === 'identity_center'
          ? await aws.provisionAssignment(target, assignmentSpecFor(grant), {
              existingPermissionSetArn: shared ?? grant.roleArn,
              shared: shared !== undefined,
              // Recorded before anything else can fail, so a retry reuses the permission set.
              onPermissionSetCreated: async (arn) => {
                if (
                  !(await grants.update(
                    grant.id,
                    grant.version,
                    { status: 'pending', roleArn: arn },
                    clock.now(),
                  ))
                )
                  throw new Error(`grant ${grant.id} changed meanwhile; retrying`);
              },
              signal,
            })
          : (await aws.provisionRole(target, roleSpecFor(grant, settings), signal)).roleArn;
      const at = clock.now();
      await transaction(async (tx) => {
        const current = await tx.grants.get(grantId);
        if (current === undefined) return;
        if (current.status !== 'pending') {
          // Revoked while we were creating the role: make sure the role we just made goes too.
          await tx.jobs.enqueue(
            buildJob(
              revokeGrantJob,
              { grantId },
              { runAt: at, dedupeKey: `revoke-after-provision:${grantId}` },
            ),
          );
          return;
        }
        const moved = await tx.grants.update(
          grantId,
          current.version,
          { status: 'active', roleArn, activatedAt: at },
          at,
        );
        if (!moved) throw new Error(`grant ${grantId} changed meanwhile; retrying`);
        await tx.jobs.enqueue(
          buildJob(expireGrantJob, { grantId }, { runAt: current.notAfter, dedupeKey: `expire:${grantId}` }),
        );
        await tx.requests.move(current.requestId, ['approved'], 'active', at, {
          data: { grant_id: grantId },
        });
        await tx.audit.append({
          at,
          actor: 'system',
          action: 'grant.activated',
          subject: grantId,
          data: json({ role_arn: roleArn, account_id: current.accountId, not_after: current.notAfter }),
        });
      });
    },

    async end(grantId, { expiry, attempt = 1, signal }) {
      const found = await grants.get(grantId);
      if (found === undefined || ENDED.includes(found.status)) return;
      const now = clock.now();
      if (expiry && found.status !== 'revoking' && found.notAfter > now) return;
      const grant = await markRevoking(found, now);
      try {
        const target = spokeTargetOf(await accounts.get(grant.accountId), grant.accountId);
        if (grant.mode === 'identity_center') {
          const shared = settings.sharedPermissionSets?.[grant.accountId];
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
        // Past not_after the role's own time conditions already allow nothing: no deny write needed. A grant whose
        // revocation was requested early (`revoking` before not_after) keeps the deny.
        else
          await aws.deleteRole(
            target,
            grant.roleName,
            clock.now(),
            signal,
            expiry && grant.notAfter <= now ? { expired: true } : undefined,
          );
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
      const at = clock.now();
      const finalState = (g: Grant): GrantState =>
        g.revokedBy !== null ? 'revoked' : g.endReason !== null ? 'failed' : 'expired';
      await transaction(async (tx) => {
        // Usually nobody touched the grant since `markRevoking`: then the conditional update alone (on the version
        // read before AWS) is the check; otherwise re-read it and decide on the current row.
        let current: Grant | undefined = grant;
        let final = finalState(grant);
        if (!(await tx.grants.update(grantId, grant.version, { status: final, endedAt: at }, at))) {
          current = await tx.grants.get(grantId);
          if (current === undefined || current.status !== 'revoking') return;
          final = finalState(current);
          const moved = await tx.grants.update(grantId, current.version, { status: final, endedAt: at }, at);
          if (!moved) throw new Error(`grant ${grantId} changed meanwhile; retrying`);
        }
        if (!expiry) await tx.jobs.cancel({ dedupeKey: `expire:${grantId}` });
        await finishRequestIfDone(tx, current.requestId, at, grantId);
        await tx.requests.endExtensions?.(grantId, final, at);
        await tx.audit.append({
          at,
          actor: 'system',
          action: `grant.${final}`,
          subject: grantId,
          data: json({
            account_id: current.accountId,
            role_name: current.roleName,
            not_after: current.notAfter,
          }),
        });
      });
    },

    async refresh(grantId, signal) {
      const grant = await grants.get(grantId);
      if (grant === undefined || grant.status !== 'active') return;
      const target = spokeTargetOf(await accounts.get(grant.accountId), grant.accountId);
      if (grant.mode !== 'identity_center') {
        await aws.provisionRole(target, roleSpecFor(grant, settings), signal);
        return;
      }
      // A per-grant permission set gets the new time bound (re-provisioned); an admin's shared set is never
      // changed: the grant's lease simply lasts longer.
      if (settings.sharedPermissionSets?.[grant.accountId] !== undefined || grant.roleArn === null) return;
      await aws.provisionAssignment(target, assignmentSpecFor(grant), {
        existingPermissionSetArn: grant.roleArn,
        onPermissionSetCreated: async () => {},
        signal,
      });
    },

    async onJobDead(job, error) {
      const parsed = (job.payload ?? {}) as { grantId?: unknown };
      if (typeof parsed.grantId !== 'string') return;
      const grantId = parsed.grantId;
      const at = clock.now();
      if (job.type === provisionGrantJob.type) {
        alert({ kind: 'grant.provision_failed', grantId, message: error });
        await transaction(async (tx) => {
          const g = await tx.grants.get(grantId);
          if (g === undefined || g.status !== 'pending') return;
          // Revoking first: a partly created role is removed before the grant is `failed`.
          await tx.grants.update(
            grantId,
            g.version,
            { status: 'revoking', endReason: error.slice(0, 500) },
            at,
          );
          await tx.jobs.enqueue(
            buildJob(revokeGrantJob, { grantId }, { runAt: at, dedupeKey: `cleanup:${grantId}` }),
          );
          await tx.audit.append({
            at,
            actor: 'system',
            action: 'grant.provision_failed',
            subject: grantId,
            data: { error },
          });
        });
      } else if (job.type === expireGrantJob.type || job.type === revokeGrantJob.type) {
        alert({ kind: 'grant.revocation_dead', grantId, message: error });
      }
    },
  };
}
