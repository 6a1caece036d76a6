/**
 * The grant lifecycle run by jobs: create grants on approval (in the approving transaction), provision at
 * `not_before`, and end (expire or revoke) once AWS confirms. AWS calls never run inside a transaction.
 */
import type { Account } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import { buildJob, type JobRecord } from '../jobs/index.ts';
import { type Clock, HOUR } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import { type Grant, grantRoleName } from './grant.ts';
import { expireGrantJob, provisionGrantJob, revokeGrantJob } from './grant-jobs.ts';
import { createRevocation, type EndOptions } from './grant-revocation.ts';
import { assignmentSpecFor, type GrantSettings, roleSpecFor, spokeTargetOf } from './grant-specs.ts';
import type { AlertSink, GrantAws, GrantRepo, GrantTransaction, GrantTxRepos } from './ports.ts';

export {
  assignmentSpecFor,
  type GrantSettings,
  identityCenterUserName,
  roleSpecFor,
  spokeTargetOf,
} from './grant-specs.ts';

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

/** The job-driven transitions of grants. */
export interface GrantLifecycle {
  /** Provisions a pending grant and activates it (idempotent; a no-op for any other state). Throws on AWS errors. */
  provision(grantId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Ends a grant: `revoking`, then AWS revocation, then `expired` (or `revoked` when someone revoked it). Stays
   * `revoking` and throws (so the job retries) while AWS fails, raising an alert. No-op when already ended, or for
   * an expiry job of a grant whose `not_after` moved later.
   */
  end(grantId: string, options: EndOptions): Promise<void>;
  /** Converges an active grant's role to its current `not_after` (after an extension); no-op otherwise. */
  refresh(grantId: string, signal?: AbortSignal): Promise<void>;
  /** Dead-letter hook: a provision job given up fails its grant; a dead revocation raises an alert. */
  onJobDead(job: JobRecord, error: string): Promise<void>;
}

/** Creates the lifecycle over its ports. */
export function createGrantLifecycle(deps: GrantLifecycleDeps): GrantLifecycle {
  const { grants, accounts, transaction, aws, clock, settings, alert = () => {} } = deps;

  const endGrant = createRevocation({ grants, accounts, transaction, aws, clock, alert });

  return {
    async provision(grantId, signal) {
      const grant = await grants.get(grantId);
      if (grant === undefined || grant.status !== 'pending') return;
      const now = clock.now();
      if (now >= grant.notAfter) {
        await this.end(grantId, { expiry: true, signal });
        return;
      }
      const account = await accounts.get(grant.accountId);
      const target = spokeTargetOf(account, grant.accountId);
      // The account's admin-chosen permission set (docs/grants.md), shared by its grants through leases.
      const shared = account?.permissionSetArn ?? undefined;
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

    end(grantId, options) {
      return endGrant(grantId, options);
    },

    async refresh(grantId, signal) {
      const grant = await grants.get(grantId);
      if (grant === undefined || grant.status !== 'active') return;
      const account = await accounts.get(grant.accountId);
      const target = spokeTargetOf(account, grant.accountId);
      if (grant.mode !== 'identity_center') {
        await aws.provisionRole(target, roleSpecFor(grant, settings), signal);
        return;
      }
      // A per-grant permission set gets the new time bound (re-provisioned); an admin's shared set is never
      // changed: the grant's lease simply lasts longer.
      if (account?.permissionSetArn != null || grant.roleArn === null) return;
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
