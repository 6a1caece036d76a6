/** The user-facing grant use cases: read, revoke early, vend credentials (docs/grants.md). */
import { type Account, isAccountApprover } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import { decodeCursor, encodeCursor } from '../requests/request-queries.ts';
import type { Actor } from '../requests/request-rules.ts';
import type { RequestService } from '../requests/request-service.ts';
import {
  credentialSeconds,
  type Grant,
  type GrantState,
  MIN_CREDENTIAL_SECONDS,
  sourceIdentityFor,
} from './grant.ts';
import { applyExtension, extendedNotAfter, maxGrantHours } from './grant-extension.ts';
import { revokeGrantJob } from './grant-jobs.ts';
import type { GrantSettings } from './grant-lifecycle.ts';
import { buildPlan, type ProvisioningPlan } from './plan.ts';
import { buildExtensionPlan } from './plan-extension.ts';
import type { ConsoleFederation, GrantAws, GrantRepo, GrantTransaction, IssuedCredentials } from './ports.ts';

/** What the grant service needs. */
export interface GrantServiceDeps {
  readonly grants: GrantRepo;
  readonly accounts: Pick<AccountRepo, 'get' | 'idsApprovedBy'>;
  readonly transaction: GrantTransaction;
  readonly aws: Pick<GrantAws, 'vendCredentials'>;
  readonly clock: Clock;
  /** Console sign-in (absent: `consoleUrl` answers `Unsupported`). */
  readonly federation?: ConsoleFederation;
  /** The `Issuer` of console sign-ins (the iam-jit base URL). */
  readonly issuer?: string;
  /** Longest grant in hours when the account sets none (the deployment's `IAM_JIT_MAX_DURATION_HOURS`). */
  readonly maxDurationHours?: number;
  /** For `requestExtension`: reading the grant's request and submitting the extension request as the requester. */
  readonly extensions?: Pick<RequestService, 'get' | 'submit'>;
  /** For `plan`: reading a request as the actor may see it, and the deployment's provisioning settings. */
  readonly planning?: { readonly requests: Pick<RequestService, 'get'>; readonly settings: GrantSettings };
}

/** `credential_process` output, version 1 (AWS CLI "Sourcing credentials with an external process"). */
export interface CredentialProcessOutput {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  /** ISO-8601. */
  readonly Expiration: string;
}

/** Filters of `GrantService.list`; `limit` 1–500 (default 100). Throws `InvalidInput` on a foreign cursor. */
export interface GrantFilter {
  status?: GrantState;
  requestId?: string;
  accountId?: string;
  cursor?: string;
  limit?: number;
}

/** The grant use cases; each takes the authenticated actor first. */
export interface GrantService {
  /** The grant when the actor may see it (requester, the account's approvers, admins); throws `NotFound` otherwise. */
  get(actor: Actor, id: string): Promise<Grant>;
  /** Grants the actor may see, newest first, a page at a time (`nextCursor` null on the last page). */
  list(actor: Actor, filter?: GrantFilter): Promise<{ items: Grant[]; nextCursor: string | null }>;
  /**
   * Starts early revocation with a mandatory reason (requester, the account's approvers, admins): the grant becomes
   * `revoking` and a revoke job is queued, in one audited transaction. Throws `NotFound`, `InvalidInput` (no
   * reason), `IllegalTransition` (already ending or ended).
   */
  revoke(actor: Actor, id: string, options: { reason?: string }): Promise<Grant>;
  /**
   * Credentials for the grant's role, for its requester only: AssumeRole with SourceIdentity = the user id, lasting
   * min(remaining, 1 h). Throws `NotFound`, `NotRequester`, `IllegalTransition` (not active), `GrantEndingSoon`
   * (less than 900 s remain; AWS issues no shorter credentials).
   */
  credentials(actor: Actor, id: string): Promise<CredentialProcessOutput>;
  /**
   * Extends an active grant directly by `hours` (an approver of its account or an admin, never its requester — the
   * request rule against self-approval; requesters use `requestExtension`), with a reason; the total from `not_before` must stay within the account's and the
   * deployment's maximum. Moves the expiry job and queues a refresh that rewrites the role's time conditions.
   * Throws `NotFound`, `SelfApproval`, `NotApprover`, `InvalidInput`, `DurationExceedsMax`, `IllegalTransition`.
   */
  extend(actor: Actor, id: string, options: { hours?: number; reason?: string }): Promise<Grant>;
  /**
   * The grant's requester asks for `hours` more (with a reason): creates an extension request (a request with
   * `extends_grant_id`, the grant's account, policy and regions, duration `hours`) that the account's approvers
   * approve under the same rules as any request; its approval extends the grant. Audited as
   * `grant.extension_requested`. Throws `NotFound`, `NotRequester`, `IllegalTransition` (not active),
   * `InvalidInput`, `DurationExceedsMax`, and whatever submitting a request throws (`TooManyOpenRequests`…).
   */
  requestExtension(
    actor: Actor,
    id: string,
    options: { hours?: number; reason?: string },
  ): Promise<{ grant: Grant; requestId: string }>;
  /**
   * `POST /grants/{id}/extend`: the grant's requester gets `requestExtension` (`requestId` set), anyone else
   * `extend` (`requestId` null). Throws as those do.
   */
  extendOrRequest(
    actor: Actor,
    id: string,
    options: { hours?: number; reason?: string },
  ): Promise<{ grant: Grant; requestId: string | null }>;
  /** A console sign-in URL for the same session as `credentials` (same rules and errors; `Unsupported` if unwired). */
  consoleUrl(actor: Actor, id: string): Promise<{ url: string; expiration: Date }>;
  /**
   * The AWS calls approving request `requestId` (current revision) would make, as AWS CLI commands, for anyone who
   * may see the request. Throws `NotFound` like the request routes, `Unsupported` when planning is not wired.
   */
  plan(actor: Actor, requestId: string): Promise<ProvisioningPlan>;
}

/** A mandatory reason of at most 2000 characters, trimmed. Throws `InvalidInput`. */
function checkReason(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text === '' || text.length > 2000)
    throw new BrokerError('InvalidInput', 'reason: required, at most 2000 characters', {
      details: { field: 'reason' },
    });
  return text;
}

function canSee(actor: Actor, grant: Grant, account: Account | undefined): boolean {
  return (
    grant.requesterId === actor.id ||
    actor.roles.includes('admin') ||
    (account !== undefined && isAccountApprover(account, actor))
  );
}

/** Creates the grant service over its ports. */
export function createGrantService({
  grants,
  accounts,
  transaction,
  aws,
  clock,
  federation,
  issuer = 'iam-jit',
  planning,
  extensions,
  maxDurationHours = 12,
}: GrantServiceDeps): GrantService {
  async function load(actor: Actor, id: string): Promise<Grant> {
    const grant = await grants.get(id);
    if (grant !== undefined && canSee(actor, grant, await accounts.get(grant.accountId))) return grant;
    throw new BrokerError('NotFound', `grant ${id} not found`, { details: { grant_id: id } });
  }

  /** STS credentials for the requester of an active grant with at least 900 s left; audited as `action`. */
  async function issue(actor: Actor, id: string, action: string): Promise<IssuedCredentials> {
    const grant = await load(actor, id);
    if (grant.requesterId !== actor.id)
      throw new BrokerError('NotRequester', "only the grant's requester can get its credentials", {
        details: { grant_id: id },
      });
    if (grant.status !== 'active' || grant.roleArn === null)
      throw new BrokerError('IllegalTransition', `the grant is ${grant.status}, not active`, {
        details: { grant_id: id, status: grant.status },
      });
    if (grant.mode !== 'iam_role')
      throw new BrokerError(
        'Unsupported',
        'identity_center grants are used through the AWS access portal, not vended credentials',
        { details: { grant_id: id, mode: grant.mode } },
      );
    const seconds = credentialSeconds(grant.notAfter, clock.now());
    if (seconds < MIN_CREDENTIAL_SECONDS)
      throw new BrokerError(
        'GrantEndingSoon',
        `only ${Math.max(seconds, 0)} s of the grant remain; AWS issues credentials for at least ${MIN_CREDENTIAL_SECONDS} s (15 minutes), so none can be issued`,
        {
          details: {
            grant_id: id,
            remaining_seconds: Math.max(seconds, 0),
            not_after: grant.notAfter.toISOString(),
          },
        },
      );
    const identity = sourceIdentityFor(actor.id);
    const issued = await aws.vendCredentials({
      roleArn: grant.roleArn,
      sessionName: identity,
      sourceIdentity: identity,
      durationSeconds: seconds,
    });
    await transaction((tx) =>
      tx.audit.append({
        at: clock.now(),
        actor: actor.id,
        action,
        subject: id,
        data: { duration_seconds: seconds, expiration: issued.expiration.toISOString() },
      }),
    );
    return issued;
  }

  return {
    get: load,

    async list(actor, { status, requestId, accountId, cursor, limit = 100 } = {}) {
      const isAdmin = actor.roles.includes('admin');
      const approves =
        isAdmin || !actor.roles.includes('approver') ? [] : await accounts.idsApprovedBy(actor.id);
      const size = Math.min(Math.max(Math.floor(limit), 1), 500);
      const items = await grants.list({
        visibleTo: isAdmin ? undefined : { userId: actor.id, accountIds: approves },
        status,
        requestId,
        accountId,
        after: cursor === undefined ? undefined : decodeCursor(cursor),
        limit: size,
      });
      const last = items.at(-1);
      return { items, nextCursor: items.length === size && last !== undefined ? encodeCursor(last) : null };
    },

    async revoke(actor, id, { reason }) {
      const text = reason?.trim() ?? '';
      if (text === '' || text.length > 2000)
        throw new BrokerError('InvalidInput', 'reason: required, at most 2000 characters', {
          details: { field: 'reason' },
        });
      await load(actor, id);
      const now = clock.now();
      return transaction(async (tx) => {
        const grant = await tx.grants.get(id);
        if (grant === undefined || (grant.status !== 'pending' && grant.status !== 'active'))
          throw new BrokerError(
            'IllegalTransition',
            `cannot revoke a grant that is ${grant?.status ?? 'gone'}`,
            {
              details: { grant_id: id, status: grant?.status, allowed_from: ['pending', 'active'] },
            },
          );
        const moved = await tx.grants.update(
          id,
          grant.version,
          { status: 'revoking', revokedBy: actor.id, revokeReason: text },
          now,
        );
        if (!moved)
          throw new BrokerError('ConcurrentUpdate', 'the grant changed meanwhile; reload it and try again', {
            details: { grant_id: id },
          });
        await tx.jobs.cancel({ dedupeKey: `provision:${id}` });
        await tx.jobs.enqueue(
          buildJob(revokeGrantJob, { grantId: id }, { runAt: now, dedupeKey: `revoke:${id}` }),
        );
        await tx.audit.append({
          at: now,
          actor: actor.id,
          action: 'grant.revoke_requested',
          subject: id,
          data: { reason: text, request_id: grant.requestId, account_id: grant.accountId },
        });
        return {
          ...grant,
          status: 'revoking',
          revokedBy: actor.id,
          revokeReason: text,
          version: grant.version + 1,
          updatedAt: now,
        };
      });
    },

    async credentials(actor, id) {
      const issued = await issue(actor, id, 'grant.credentials_issued');
      return {
        Version: 1,
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        Expiration: issued.expiration.toISOString(),
      };
    },

    async extend(actor, id, { hours, reason }) {
      const grant = await load(actor, id);
      if (grant.requesterId === actor.id)
        throw new BrokerError(
          'SelfApproval',
          'the requester cannot extend their own grant; ask an approver',
          {
            details: { grant_id: id },
          },
        );
      const account = await accounts.get(grant.accountId);
      if (account === undefined || !isAccountApprover(account, actor))
        throw new BrokerError('NotApprover', `you do not approve for account ${grant.accountId}`, {
          details: { grant_id: id, account_id: grant.accountId },
        });
      const text = checkReason(reason);
      const notAfter = extendedNotAfter(grant, hours, maxGrantHours(account, maxDurationHours));
      const now = clock.now();
      return transaction(async (tx) => {
        const current = await tx.grants.get(id);
        if (current === undefined || current.status !== 'active' || current.version !== grant.version)
          throw new BrokerError(
            'IllegalTransition',
            `cannot extend a grant that is ${current?.status ?? 'gone'}`,
            {
              details: { grant_id: id, status: current?.status, allowed_from: ['active'] },
            },
          );
        return applyExtension(tx, current, notAfter, {
          actorId: actor.id,
          now,
          data: { reason: text, hours: hours as number },
        });
      });
    },

    async extendOrRequest(actor, id, options) {
      const grant = await load(actor, id);
      if (grant.requesterId === actor.id) return this.requestExtension(actor, id, options);
      return { grant: await this.extend(actor, id, options), requestId: null };
    },

    async requestExtension(actor, id, { hours, reason }) {
      if (extensions === undefined)
        throw new BrokerError('Unsupported', 'extension requests are not configured on this server');
      const grant = await load(actor, id);
      if (grant.requesterId !== actor.id)
        throw new BrokerError('NotRequester', "only the grant's requester can ask to extend it", {
          details: { grant_id: id },
        });
      if (grant.status !== 'active')
        throw new BrokerError('IllegalTransition', `cannot extend a grant that is ${grant.status}`, {
          details: { grant_id: id, status: grant.status, allowed_from: ['active'] },
        });
      const text = checkReason(reason);
      extendedNotAfter(grant, hours, maxGrantHours(await accounts.get(grant.accountId), maxDurationHours));
      const original = (await extensions.get(actor, grant.requestId)).request;
      const requestId = await extensions.submit(actor, {
        accountIds: [grant.accountId],
        spec: { type: 'policy', policy: grant.policy },
        accessType: original.accessType,
        justification: text,
        durationHours: hours as number,
        ticket: original.ticket,
        tags: original.tags,
        regions: grant.regions ?? null,
        extendsGrantId: grant.id,
      });
      await transaction((tx) =>
        tx.audit.append({
          at: clock.now(),
          actor: actor.id,
          action: 'grant.extension_requested',
          subject: id,
          data: { request_id: requestId, hours: hours as number, reason: text },
        }),
      );
      return { grant, requestId };
    },

    async plan(actor, requestId) {
      if (planning === undefined)
        throw new BrokerError('Unsupported', 'provisioning is not configured on this server');
      const detail = await planning.requests.get(actor, requestId);
      const extendsId = detail.request.extendsGrantId;
      if (extendsId != null) {
        const grant = await grants.get(extendsId);
        if (grant === undefined) throw new Error(`request ${requestId} extends missing grant ${extendsId}`);
        const account = await accounts.get(grant.accountId);
        return buildExtensionPlan({
          request: detail.request,
          grant,
          spokeRoleArn: account?.spokeRoleArn ?? null,
          permissionSetArn: account?.permissionSetArn ?? null,
          settings: planning.settings,
        });
      }
      const revision = detail.revisions.find((r) => r.number === detail.request.currentRevision);
      if (revision === undefined) throw new Error(`request ${requestId} has no current revision`);
      const found = await Promise.all(detail.request.accountIds.map((id) => accounts.get(id)));
      return buildPlan({
        request: detail.request,
        revision,
        accounts: found.filter((a): a is Account => a !== undefined),
        approverIds: [...new Set(detail.approvals.map((a) => a.reviewerId))],
        settings: planning.settings,
        now: clock.now(),
      });
    },

    async consoleUrl(actor, id) {
      if (federation === undefined)
        throw new BrokerError('Unsupported', 'console sign-in is not configured on this server');
      const issued = await issue(actor, id, 'grant.console_url_issued');
      return { url: await federation.signInUrl(issued, issuer), expiration: issued.expiration };
    },
  };
}
