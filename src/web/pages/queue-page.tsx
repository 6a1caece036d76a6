/** `GET /queue`: the pending requests waiting on the signed-in approver, oldest first, with risk and age. */
import type { AccessRequest, RequestDetail } from '../../requests/request.ts';
import { ageText, RiskBadge, Time, userLabel } from '../components.tsx';
import type { WebApp, WebDeps } from '../context.ts';
import { actorOf, renderPage, requireUser } from '../page.tsx';

/** At most this many waiting requests are shown (pages of 100 from the service, newest first, then reversed). */
const MAX_SHOWN = 300;

/** Registers `GET /queue` (approver role; admins see every pending request they did not submit). */
export function registerQueuePage(app: WebApp, { services }: WebDeps): void {
  app.get('/queue', requireUser('approver'), async (c) => {
    const actor = actorOf(c);
    const waiting: AccessRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await services.requests.pending(actor, { limit: 100, cursor });
      waiting.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && waiting.length < MAX_SHOWN);
    const oldestFirst = waiting.slice(0, MAX_SHOWN).reverse();
    const details: RequestDetail[] = await Promise.all(
      oldestFirst.map((r) => services.requests.get(actor, r.id)),
    );
    const now = services.clock.now();
    return renderPage(c, {
      title: 'Approval queue',
      body: (
        <>
          <div class="page-head">
            <h1>Waiting on you</h1>
            <span class="muted">
              {details.length} request{details.length === 1 ? '' : 's'}, oldest first
            </span>
          </div>
          {details.length === 0 ? (
            <section class="panel">
              <p>Nothing waits on your approval.</p>
            </section>
          ) : (
            <div class="table-wrap panel">
              <table>
                <caption class="visually-hidden">Pending requests you can approve, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Request</th>
                    <th scope="col">Requester</th>
                    <th scope="col">Accounts</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Waiting</th>
                  </tr>
                </thead>
                <tbody>
                  {details.map(({ request, revisions }) => {
                    const risk = revisions.find((r) => r.number === request.currentRevision)?.risk;
                    return (
                      <tr>
                        <td>
                          <a href={`/requests/${request.id}`}>{request.justification || request.id}</a>
                          <div class="muted small">
                            {request.accessType} · {request.durationHours} h · revision{' '}
                            {request.currentRevision}
                          </div>
                        </td>
                        <td>{userLabel(request.requesterId)}</td>
                        <td>
                          {request.accountIds.map((a) => (
                            <div>
                              <code>{a}</code>
                            </div>
                          ))}
                        </td>
                        <td>
                          {risk !== undefined ? <RiskBadge score={risk.score} band={risk.band} /> : '—'}
                        </td>
                        <td>
                          {ageText(request.createdAt, now)}
                          <div class="muted small">
                            since <Time at={request.createdAt} />
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      ),
    });
  });
}
