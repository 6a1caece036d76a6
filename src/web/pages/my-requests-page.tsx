/** `GET /`: the signed-in user's own requests, newest first — status, accounts, risk, time left on active grants. */
import type { Grant } from '../../grants/grant.ts';
import { hasRole } from '../../identity/user.ts';
import type { RequestDetail } from '../../requests/request.ts';
import { ageText, Countdown, RiskBadge, StatusBadge, Time } from '../components.tsx';
import type { WebApp, WebDeps } from '../context.ts';
import { actorOf, currentUser, renderPage, requireUser } from '../page.tsx';

const PAGE_SIZE = 25;

function Row({ detail, grants, now }: { detail: RequestDetail; grants: readonly Grant[]; now: Date }) {
  const { request } = detail;
  const risk = detail.revisions.find((r) => r.number === request.currentRevision)?.risk;
  const active = grants.filter((g) => g.status === 'active');
  return (
    <tr>
      <td>
        <a href={`/requests/${request.id}`}>{request.justification || request.id}</a>
        <div class="muted small">
          <code>{request.id}</code> · {request.accessType} · {request.durationHours} h
        </div>
      </td>
      <td>
        <StatusBadge status={request.status} />
      </td>
      <td>
        {request.accountIds.map((a) => (
          <div>
            <code>{a}</code>
          </div>
        ))}
      </td>
      <td>{risk !== undefined ? <RiskBadge score={risk.score} band={risk.band} /> : '—'}</td>
      <td>
        {active.length > 0 ? (
          active.map((g) => (
            <div>
              <Countdown until={g.notAfter} now={now} />
            </div>
          ))
        ) : request.status === 'approved' && request.startAt !== null ? (
          <span>
            starts <Time at={request.startAt} />
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>
        <span title={request.createdAt.toISOString()}>{ageText(request.createdAt, now)}</span>
      </td>
    </tr>
  );
}

/** Registers `GET /` (requesters; approver-only users are sent to `/queue`). `?cursor=` pages to older requests. */
export function registerMyRequestsPage(app: WebApp, { services }: WebDeps): void {
  app.get('/', requireUser(), async (c) => {
    const { user } = currentUser(c);
    // Users who cannot request land on what they can do.
    if (!hasRole(user, 'requester'))
      return c.redirect(hasRole(user, 'approver') ? '/queue' : '/settings', 303);
    const actor = actorOf(c);
    const cursor = c.req.query('cursor');
    const page = await services.requests.list(actor, { mine: true, limit: PAGE_SIZE, cursor });
    const details = await Promise.all(page.items.map((r) => services.requests.get(actor, r.id)));
    const grants =
      services.grants === undefined
        ? []
        : (await services.grants.list(actor, { status: 'active', limit: 500 })).items.filter(
            (g) => g.requesterId === actor.id,
          );
    const now = services.clock.now();
    return renderPage(c, {
      title: 'My requests',
      body: (
        <>
          <div class="page-head">
            <h1>My requests</h1>
            <a class="button" href="/requests/new">
              New request
            </a>
          </div>
          {details.length === 0 ? (
            <section class="panel">
              <p>You have no requests yet.</p>
              <p>
                <a href="/requests/new">Ask for access</a>: pick the accounts, the actions you need and for
                how long.
              </p>
            </section>
          ) : (
            <div class="table-wrap panel">
              <table>
                <caption class="visually-hidden">Your access requests, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Request</th>
                    <th scope="col">Status</th>
                    <th scope="col">Accounts</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Time left</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {details.map((d) => (
                    <Row detail={d} grants={grants.filter((g) => g.requestId === d.request.id)} now={now} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.nextCursor !== null && (
            <p>
              <a href={`/?cursor=${encodeURIComponent(page.nextCursor)}`}>Older requests</a>
            </p>
          )}
        </>
      ),
    });
  });
}
