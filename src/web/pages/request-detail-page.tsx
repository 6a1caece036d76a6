/**
 * `GET /requests/:id`: everything about one request the viewer may see (the request service decides: NotFound
 * otherwise) — facts, grants with countdowns and usage, approvals vs quorum, the actions the viewer may take, the
 * current revision's risk factors with the evidence statements highlighted, findings, revisions with their diffs,
 * and the conversation.
 */
import { type Account, isAccountApprover } from '../../accounts/account.ts';
import type { Grant } from '../../grants/grant.ts';
import type { RequestDetail, RequestEvent, Revision } from '../../requests/request.ts';
import { type Actor, quorumState } from '../../requests/request-rules.ts';
import { ageText, Badge, RiskBadge, StatusBadge, Time, userLabel } from '../components.tsx';
import type { WebApp, WebDeps } from '../context.ts';
import { GrantPanel } from '../grant-panel.tsx';
import { CsrfField } from '../layout.tsx';
import { actorOf, renderPage, requireUser } from '../page.tsx';
import { RevisionDiff } from '../revision-diff.tsx';
import { evidenceStatements, FactorList, FindingList, PolicyView, ScoreLine } from '../risk-views.tsx';

/** What the viewer may do, from who they are and the status (the services still check every action). */
interface Allowed {
  review: boolean;
  approve: boolean;
  edit: boolean;
  resubmit: boolean;
  cancel: boolean;
}

function allowedFor(actor: Actor, detail: RequestDetail, accounts: readonly Account[]): Allowed {
  const { request } = detail;
  const isRequester = request.requesterId === actor.id;
  const reviewer = !isRequester && accounts.some((a) => isAccountApprover(a, actor));
  const pending = request.status === 'pending';
  return {
    review: reviewer && pending,
    approve: reviewer && pending && !detail.approvals.some((r) => r.reviewerId === actor.id),
    edit: pending && (isRequester || reviewer),
    resubmit: isRequester && request.status === 'changes_requested',
    cancel: isRequester && (pending || request.status === 'changes_requested'),
  };
}

function Facts({ detail, now }: { detail: RequestDetail; now: Date }) {
  const r = detail.request;
  return (
    <dl class="facts">
      <dt>Requester</dt>
      <dd>{userLabel(r.requesterId)}</dd>
      <dt>Accounts</dt>
      <dd>
        {r.accountIds.map((a) => (
          <code>{a} </code>
        ))}
      </dd>
      <dt>Access</dt>
      <dd>
        {r.accessType}, {r.durationHours} h{' '}
        {r.startAt !== null ? (
          <>
            from <Time at={r.startAt} />
          </>
        ) : (
          'from approval'
        )}
      </dd>
      <dt>Submitted</dt>
      <dd>
        <Time at={r.createdAt} /> ({ageText(r.createdAt, now)})
      </dd>
      {r.approvalDeadline !== null && r.status === 'pending' && (
        <>
          <dt>Approve by</dt>
          <dd>
            <Time at={r.approvalDeadline} />
          </dd>
        </>
      )}
      {r.ticket !== null && (
        <>
          <dt>Ticket</dt>
          <dd>{r.ticket}</dd>
        </>
      )}
    </dl>
  );
}

function Approvals({ detail, accounts }: { detail: RequestDetail; accounts: readonly Account[] }) {
  const state = quorumState(accounts, detail.reviews, detail.request.currentRevision);
  return (
    <section class="panel" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Approvals</h2>
      <ul class="plain">
        {state.map((s) => (
          <li>
            <code>{s.accountId}</code>:{' '}
            <Badge kind={s.approvedBy.length >= s.required ? 'ok' : 'info'}>
              {`${s.approvedBy.length} of ${s.required}`}
            </Badge>{' '}
            {s.approvedBy.length > 0 && (
              <span class="small">by {s.approvedBy.map(userLabel).join(', ')}</span>
            )}
          </li>
        ))}
      </ul>
      <p class="small muted">
        Approvals count for the current revision ({detail.request.currentRevision}) only.
      </p>
    </section>
  );
}

function Actions({ id, allowed, csrf }: { id: string; allowed: Allowed; csrf: string }) {
  if (!allowed.review && !allowed.edit && !allowed.resubmit && !allowed.cancel) return null;
  return (
    <section class="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">Your actions</h2>
      {allowed.approve && (
        <form method="post" action={`/requests/${id}/approve`} class="stack">
          <CsrfField token={csrf} />
          <label for="approve-comment">Approval comment (optional)</label>
          <input type="text" id="approve-comment" name="comment" maxlength={4000} />
          <button type="submit">Approve</button>
        </form>
      )}
      {allowed.review && (
        <>
          <form method="post" action={`/requests/${id}/request-changes`} class="stack">
            <CsrfField token={csrf} />
            <label for="changes-comment">What should change?</label>
            <textarea id="changes-comment" name="comment" rows={2} required maxlength={4000}></textarea>
            <button type="submit" class="secondary">
              Request changes
            </button>
          </form>
          <form method="post" action={`/requests/${id}/reject`} class="stack">
            <CsrfField token={csrf} />
            <label for="reject-reason">Reason for rejecting</label>
            <input type="text" id="reject-reason" name="reason" required maxlength={4000} />
            <button type="submit" class="danger">
              Reject
            </button>
          </form>
        </>
      )}
      <div class="actions-row">
        {allowed.edit && (
          <a class="button secondary" href={`/requests/${id}/edit`}>
            Edit the policy
          </a>
        )}
        {allowed.resubmit && (
          <a class="button" href={`/requests/${id}/edit`}>
            Revise and resubmit
          </a>
        )}
        {allowed.cancel && (
          <form
            method="post"
            action={`/requests/${id}/cancel`}
            class="inline"
            data-confirm="Withdraw this request?"
          >
            <CsrfField token={csrf} />
            <button type="submit" class="danger">
              Cancel request
            </button>
          </form>
        )}
      </div>
    </section>
  );
}

function CurrentRevision({ revision }: { revision: Revision }) {
  return (
    <section class="panel" aria-labelledby="revision-title">
      <h2 id="revision-title">
        Revision {revision.number} <span class="muted small">by {userLabel(revision.authorId)}</span>
      </h2>
      <ScoreLine risk={revision.risk} />
      <h3>Risk factors</h3>
      <FactorList factors={revision.risk.factors} anchor="stmt" />
      <h3>Validation findings</h3>
      <FindingList findings={revision.findings} />
      {revision.draftNotes.length > 0 && (
        <>
          <h3>Drafting notes</h3>
          <ul class="small">
            {revision.draftNotes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Policy</h3>
      <p class="small muted">Statements named as evidence by a risk factor are highlighted.</p>
      <PolicyView
        policy={revision.policy}
        highlight={evidenceStatements(revision.risk.factors)}
        anchor="stmt"
      />
    </section>
  );
}

function Revisions({ revisions }: { revisions: readonly Revision[] }) {
  if (revisions.length < 2) return null;
  return (
    <section class="panel" aria-labelledby="revisions-title">
      <h2 id="revisions-title">Revisions</h2>
      <ol class="small">
        {revisions.map((r) => (
          <li>
            Revision {r.number} by {userLabel(r.authorId)}, <Time at={r.createdAt} />,{' '}
            <RiskBadge score={r.risk.score} band={r.risk.band} />
          </li>
        ))}
      </ol>
      {revisions.slice(1).map((after, i) => {
        const before = revisions[i];
        return before === undefined ? null : <RevisionDiff before={before} after={after} />;
      })}
    </section>
  );
}

/** How a history event reads in the conversation; undefined for those shown as comments or reviews already. */
function eventText(e: RequestEvent): string | undefined {
  const revision = typeof e.data.revision === 'number' ? e.data.revision : undefined;
  switch (e.type) {
    case 'submitted':
      return 'submitted the request';
    case 'resubmitted':
      return `resubmitted it as revision ${revision ?? '?'}`;
    case 'edited':
      return e.data.by_requester === false
        ? `changed the policy as approver (revision ${revision ?? '?'})`
        : `edited it (revision ${revision ?? '?'})`;
    case 'cancelled':
      return 'cancelled the request';
    case 'timed_out':
      return 'closed it: nobody approved it in time';
    case 'activated':
      return 'access became active';
    case 'expired':
      return 'access expired';
    case 'revoked':
      return 'access was revoked';
    case 'failed':
      return 'provisioning failed';
    default:
      return undefined;
  }
}

function Conversation({ detail, csrf }: { detail: RequestDetail; csrf: string }) {
  const items = [
    ...detail.comments.map((c) => ({ at: c.createdAt, who: c.authorId, what: 'commented', text: c.body })),
    ...detail.reviews.map((r) => ({
      at: r.createdAt,
      who: r.reviewerId,
      what: `${r.decision === 'request_changes' ? 'requested changes' : r.decision === 'approve' ? 'approved' : 'rejected'} revision ${r.revision}`,
      text: r.comment ?? '',
    })),
    ...detail.events.flatMap((e) => {
      const what = eventText(e);
      if (what === undefined) return [];
      const note = e.data.comment ?? e.data.reason;
      return [{ at: e.createdAt, who: e.actorId, what, text: typeof note === 'string' ? note : '' }];
    }),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return (
    <section class="panel" aria-labelledby="conversation-title">
      <h2 id="conversation-title">Activity and comments</h2>
      {items.length === 0 ? (
        <p class="muted">No comments yet.</p>
      ) : (
        <ul class="thread">
          {items.map((i) => (
            <li>
              <div class="meta">
                {i.who === 'system'
                  ? `${i.what.charAt(0).toUpperCase()}${i.what.slice(1)}`
                  : `${userLabel(i.who)} ${i.what}`}{' '}
                · <Time at={i.at} />
              </div>
              {i.text !== '' && <div>{i.text}</div>}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/requests/${detail.request.id}/comment`} class="stack">
        <CsrfField token={csrf} />
        <label for="comment-body">Add a comment</label>
        <textarea id="comment-body" name="body" rows={3} required maxlength={4000}></textarea>
        <button type="submit" class="secondary">
          Comment
        </button>
      </form>
    </section>
  );
}

/** Registers `GET /requests/:id` (any signed-in user; the request service answers NotFound when not visible). */
export function registerRequestDetailPage(app: WebApp, { services, config }: WebDeps): void {
  app.get('/requests/:id', requireUser(), async (c) => {
    const actor = actorOf(c);
    const detail = await services.requests.get(actor, c.req.param('id'));
    const { request } = detail;
    const accounts = (await Promise.all(request.accountIds.map((a) => services.accounts.get(a)))).filter(
      (a): a is Account => a !== undefined,
    );
    const grants: Grant[] =
      services.grants === undefined
        ? []
        : (await services.grants.list(actor, { requestId: request.id, limit: 100 })).items;
    const current = detail.revisions.find((r) => r.number === request.currentRevision);
    const csrf = c.get('csrfToken');
    const now = services.clock.now();
    const title = request.justification !== '' ? request.justification : request.id;
    return renderPage(c, {
      title: `Request ${request.id}`,
      body: (
        <>
          <div class="page-head">
            <h1>{title.length > 90 ? `${title.slice(0, 90)}…` : title}</h1>
            <span>
              <StatusBadge status={request.status} /> <code class="small">{request.id}</code>
            </span>
          </div>
          <div class="detail-grid">
            <div>
              <section class="panel" aria-label="Request facts">
                <Facts detail={detail} now={now} />
                {request.justification !== '' && title.length > 90 && <p>{request.justification}</p>}
              </section>
              {grants.map((g) => (
                <GrantPanel
                  grant={g}
                  actor={actor}
                  csrf={csrf}
                  now={now}
                  maxExtendHours={config.requests.maxDurationHours}
                />
              ))}
              {current !== undefined && <CurrentRevision revision={current} />}
              <Revisions revisions={detail.revisions} />
            </div>
            <div>
              <Actions id={request.id} allowed={allowedFor(actor, detail, accounts)} csrf={csrf} />
              <Approvals detail={detail} accounts={accounts} />
              <Conversation detail={detail} csrf={csrf} />
            </div>
          </div>
        </>
      ),
    });
  });
}
