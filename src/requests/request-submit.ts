/** Submission, preview, edit and resubmission: everything that creates a revision. */
import type { Account } from '../accounts/account.ts';
import { HOUR } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Finding } from '../policy/types.ts';
import { buildRevisionPolicy, type PolicyOutcome, reviewRisk } from './policy-review.ts';
import type { RequestRepos } from './ports.ts';
import type { AccessRequest, AccessType, Revision, RevisionRisk } from './request.ts';
import {
  commitTransition,
  loadVisible,
  type RequestServiceDeps,
  recordEvent,
  requireTransition,
} from './request-common.ts';
import {
  checkAccessType,
  checkAccountIds,
  checkCallbackUrl,
  checkDuration,
  checkJustification,
  checkRegions,
  checkStartAt,
  checkText,
  checkTicketAndTags,
  type EditInput,
  type SubmitInput,
} from './request-input.ts';
import { type Actor, reviewerAccounts } from './request-rules.ts';
import { OPEN_STATUSES } from './request-state.ts';

/** What a preview shows: the same checks as a submission, without storing anything. */
export interface RequestPreview {
  readonly accountIds: readonly string[];
  readonly accessType: AccessType;
  readonly durationHours: number;
  readonly policy: unknown;
  readonly draftNotes: readonly string[];
  readonly findings: readonly Finding[];
  /** False when a finding is an error: submitting would be refused with `PolicyInvalid`. */
  readonly valid: boolean;
  /** Null when the policy could not be built. */
  readonly risk: RevisionRisk | null;
  /** Whether approval rules would approve it without a human; always false until approval rules exist. */
  readonly wouldAutoApprove: boolean;
}

async function loadAccounts(repos: RequestRepos, ids: readonly string[]): Promise<Account[]> {
  const accounts = await repos.accounts.getMany(ids);
  const missing = ids.filter((id) => !accounts.some((a) => a.id === id));
  if (missing.length > 0)
    throw new BrokerError('UnknownAccount', `unknown account(s): ${missing.join(', ')}`, {
      details: { field: 'account_ids', account_ids: missing },
    });
  return ids.map((id) => accounts.find((a) => a.id === id) as Account);
}

function refuseBlocked(outcome: PolicyOutcome): void {
  if (outcome.blocked)
    throw new BrokerError('PolicyInvalid', 'the policy has validation errors', {
      details: { findings: outcome.findings, draft_notes: outcome.draftNotes },
    });
}

/** The use cases that create revisions. Each takes the authenticated actor first. */
export interface SubmissionUseCases {
  /** Submits a request and returns its id (see the implementation for the errors). */
  submit(actor: Actor, input: SubmitInput): Promise<string>;
  /** The checks of `submit` without side effects. */
  preview(actor: Actor, input: SubmitInput): Promise<RequestPreview>;
  /** A new revision of a pending request (requester or approver); approvals start over. Returns the id. */
  edit(actor: Actor, id: string, changes: EditInput): Promise<string>;
  /** The requester's new revision after a change request; pending again. Returns the id. */
  resubmit(actor: Actor, id: string, changes: EditInput): Promise<string>;
}

/** The submission, preview, edit and resubmit use cases. */
export function createSubmissionUseCases(deps: RequestServiceDeps): SubmissionUseCases {
  const { repos, transaction, clock, settings, risk: extensions = {} } = deps;

  async function evaluate(actorInput: SubmitInput) {
    const accountIds = checkAccountIds(actorInput.accountIds);
    const accounts = await loadAccounts(repos, accountIds);
    const accessType = checkAccessType(actorInput.accessType);
    const durationHours = checkDuration(actorInput.durationHours, accounts, settings);
    const outcome = buildRevisionPolicy(actorInput.spec, { accounts, accessType });
    const risk =
      outcome.policy === undefined
        ? null
        : reviewRisk(outcome.policy, accounts, { durationHours, accessType, extensions });
    return { accountIds, accounts, accessType, durationHours, outcome, risk };
  }

  function revisionOf(
    request: Pick<AccessRequest, 'id'>,
    number: number,
    author: Actor,
    outcome: PolicyOutcome,
    risk: RevisionRisk,
    now: Date,
  ): Revision {
    return {
      requestId: request.id,
      number,
      authorId: author.id,
      policy: outcome.document,
      source: outcome.source,
      draftNotes: outcome.draftNotes,
      findings: outcome.findings,
      risk,
      createdAt: now,
    };
  }

  /** Edit and resubmit share this: a new revision from the current one plus `changes`. */
  async function revise(actor: Actor, id: string, changes: EditInput, action: 'edit' | 'resubmit') {
    const now = clock.now();
    return transaction(async (tx) => {
      const { request, accounts } = await loadVisible(tx, actor, id);
      const isRequester = request.requesterId === actor.id;
      if (action === 'resubmit' && !isRequester)
        throw new BrokerError('NotRequester', 'only the requester can resubmit', {
          details: { request_id: id },
        });
      if (action === 'edit' && !isRequester) {
        // An approver's edit: the same standing as a review (only for accounts one approves for).
        reviewerAccounts(actor, request, accounts);
      }
      const to = requireTransition(request, action);
      const current = await tx.requests.revision(id, request.currentRevision);
      if (current === undefined) throw new Error(`request ${id} lost revision ${request.currentRevision}`);
      const accessType =
        changes.accessType === undefined ? request.accessType : checkAccessType(changes.accessType);
      const durationHours = checkDuration(changes.durationHours ?? request.durationHours, accounts, settings);
      const justification =
        changes.justification === undefined
          ? request.justification
          : checkJustification(changes.justification, settings.requireJustification);
      const startAt = changes.startAt === undefined ? request.startAt : checkStartAt(changes.startAt, now);
      const comment = checkText(changes.comment, 'comment', { required: false });
      const spec = changes.spec ?? { type: 'policy' as const, policy: current.policy };
      const outcome = buildRevisionPolicy(spec, { accounts, accessType });
      refuseBlocked(outcome);
      const policy = outcome.policy;
      if (policy === undefined) throw new Error('unblocked outcome without policy');
      const risk = reviewRisk(policy, accounts, { durationHours, accessType, extensions });
      const number = request.currentRevision + 1;
      // A resubmission starts a new approval window (and a new timeout); an edit keeps the running one.
      const deadline =
        action === 'resubmit' ? new Date(now.getTime() + settings.approvalTimeoutHours * HOUR) : undefined;
      if (deadline !== undefined) await tx.scheduleTimeout?.(id, deadline);
      await commitTransition(tx, {
        request,
        actor,
        now,
        type: action === 'edit' ? 'edited' : 'resubmitted',
        change: {
          status: to,
          currentRevision: number,
          accessType,
          durationHours,
          justification,
          startAt,
          ...(deadline !== undefined ? { approvalDeadline: deadline } : {}),
        },
        data: { revision: number, by_requester: isRequester, comment, risk_score: risk.score },
      });
      await tx.requests.insertRevision(revisionOf(request, number, actor, outcome, risk, now));
      return id;
    });
  }

  return {
    /**
     * Submits a request: validates, drafts when only actions are given, scores per account, and stores the request
     * with revision 1 and its `submitted` event in one transaction. Throws `InvalidInput`, `UnknownAccount`,
     * `DurationExceedsMax`, `PolicyInvalid` (details.findings), `PolicyTooLarge`, `TooManyOpenRequests`.
     */
    async submit(actor: Actor, input: SubmitInput): Promise<string> {
      const now = clock.now();
      const justification = checkJustification(input.justification, settings.requireJustification);
      const startAt = checkStartAt(input.startAt, now);
      const callbackUrl = checkCallbackUrl(input.callbackUrl);
      const { ticket, tags } = checkTicketAndTags(input.ticket, input.tags);
      const regions = checkRegions(input.regions);
      // A refused callback is a 400 now, not a dead letter later (the guard runs again on every delivery).
      if (callbackUrl !== null) await deps.checkCallbackTarget?.(callbackUrl);
      const { accountIds, accounts, accessType, durationHours, outcome, risk } = await evaluate(input);
      refuseBlocked(outcome);
      if (risk === null) throw new Error('unblocked outcome without risk review');
      const request: AccessRequest = {
        id: newId('req'),
        requesterId: actor.id,
        status: 'pending',
        version: 1,
        accountIds,
        currentRevision: 1,
        accessType,
        justification,
        durationHours,
        startAt,
        callbackUrl,
        ticket,
        tags,
        approvalDeadline: new Date(now.getTime() + settings.approvalTimeoutHours * HOUR),
        createdAt: now,
        updatedAt: now,
        regions,
        extendsGrantId: input.extendsGrantId ?? null,
      };
      return transaction(async (tx) => {
        const open = await tx.requests.countByRequester(actor.id, OPEN_STATUSES);
        if (open >= settings.maxOpenPerUser)
          throw new BrokerError(
            'TooManyOpenRequests',
            `at most ${settings.maxOpenPerUser} open requests per user`,
            {
              details: { limit: settings.maxOpenPerUser, retry_after_seconds: 60 },
            },
          );
        await tx.requests.insert(request);
        await tx.requests.insertRevision(revisionOf(request, 1, actor, outcome, risk, now));
        if (request.approvalDeadline !== null)
          await tx.scheduleTimeout?.(request.id, request.approvalDeadline);
        await recordEvent(tx, {
          id: newId('evt'),
          requestId: request.id,
          seq: 1,
          actorId: actor.id,
          type: 'submitted',
          fromStatus: null,
          toStatus: 'pending',
          data: {
            revision: 1,
            account_ids: accounts.map((a) => a.id),
            risk_score: risk.score,
            ...(request.extendsGrantId ? { extends_grant_id: request.extendsGrantId } : {}),
          },
          createdAt: now,
        });
        return request.id;
      });
    },

    /** The checks of `submit` without side effects; validation errors are returned as findings, not thrown. */
    async preview(_actor: Actor, input: SubmitInput): Promise<RequestPreview> {
      checkJustification(input.justification, false);
      const { accountIds, accessType, durationHours, outcome, risk } = await evaluate(input);
      return {
        accountIds,
        accessType,
        durationHours,
        policy: outcome.document ?? null,
        draftNotes: outcome.draftNotes,
        findings: outcome.findings,
        valid: !outcome.blocked,
        risk,
        wouldAutoApprove: false,
      };
    },

    /**
     * A new revision of a pending request by its requester or one of its approvers; approvals on the old revision
     * stop counting. Throws as `submit`, plus `NotFound`, `IllegalTransition`, `NotApprover`, `ConcurrentUpdate`.
     */
    edit: (actor: Actor, id: string, changes: EditInput) => revise(actor, id, changes, 'edit'),

    /** The requester answers a change request with a new revision; the request is pending again with a new deadline. */
    resubmit: (actor: Actor, id: string, changes: EditInput) => revise(actor, id, changes, 'resubmit'),
  };
}
