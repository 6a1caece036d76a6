/**
 * `/grants`: the grants the viewer may see (their own; their accounts' as approver; all for admins), by account,
 * soonest end first, with the ones expiring within the hour called out; revoke with a reason. Visibility and the
 * revoke rules are the grant service's, exactly as `GET /api/v1/grants` and `POST /api/v1/grants/{id}/revoke`.
 */
import { GRANT_STATES, type Grant, type GrantState } from '../../../grants/grant.ts';
import { BrokerError } from '../../../lib/errors.ts';
import { Countdown, StatusBadge, Time, userLabel } from '../../components.tsx';
import type { WebApp, WebDeps } from '../../context.ts';
import { CsrfField } from '../../layout.tsx';
import { actorOf, readForm, renderPage, requireUser, runAction, type WebContext } from '../../page.tsx';
import { type AccountGrants, groupByAccount, isExpiringSoon } from './grants-view.ts';

const PAGE_SIZE = 200;

function RevokeForm({ grant, csrf, back }: { grant: Grant; csrf: string; back: string }) {
  const id = `reason-${grant.id}`;
  return (
    <details class="revoke">
      <summary>
        Revoke<span class="visually-hidden"> grant {grant.id}</span>
      </summary>
      <form method="post" action="/grants/revoke" class="stack stack-fields">
        <CsrfField token={csrf} />
        <input type="hidden" name="grant_id" value={grant.id} />
        <input type="hidden" name="back" value={back} />
        <div>
          <label for={id}>Reason</label>
          <input type="text" id={id} name="reason" required maxlength={2000} />
        </div>
        <button type="submit" class="danger">
          Revoke now
        </button>
      </form>
    </details>
  );
}

function GrantRow({ grant, now, csrf, back }: { grant: Grant; now: Date; csrf: string; back: string }) {
  const live = grant.status === 'active' || grant.status === 'pending';
  return (
    <tr data-grant={grant.id}>
      <td>
        <code>{grant.id}</code>
        <div class="small">
          <a href={`/requests/${grant.requestId}`}>
            request<span class="visually-hidden"> {grant.requestId}</span>
          </a>
        </div>
      </td>
      <td class="small">{userLabel(grant.requesterId)}</td>
      <td>
        <StatusBadge status={grant.status} />
        {isExpiringSoon(grant, now) && <span class="badge badge-warn">expiring soon</span>}
      </td>
      <td class="small">
        <Time at={grant.notAfter} />
      </td>
      <td>{live ? <Countdown until={grant.notAfter} now={now} /> : '—'}</td>
      <td>{live ? <RevokeForm grant={grant} csrf={csrf} back={back} /> : null}</td>
    </tr>
  );
}

function AccountSection({
  group,
  now,
  csrf,
  back,
}: {
  group: AccountGrants;
  now: Date;
  csrf: string;
  back: string;
}) {
  const headingId = `account-${group.accountId}`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {group.accountName} <span class="muted small">{group.accountId}</span>
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Grant</th>
              <th scope="col">Requester</th>
              <th scope="col">Status</th>
              <th scope="col">Ends</th>
              <th scope="col">Time left</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {group.grants.map((g) => (
              <GrantRow grant={g} now={now} csrf={csrf} back={back} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Filters({
  status,
  accountId,
  accounts,
}: {
  status: string;
  accountId: string;
  accounts: [string, string][];
}) {
  return (
    <form method="get" action="/grants" class="actions-row panel">
      <div>
        <label for="grant-status">Status</label>
        <select id="grant-status" name="status">
          {GRANT_STATES.map((s) => (
            <option value={s} selected={s === status}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="grant-account">Account</label>
        <select id="grant-account" name="account_id">
          <option value="">All accounts</option>
          {accounts.map(([id, name]) => (
            <option value={id} selected={id === accountId}>
              {name} ({id})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="secondary">
        Show
      </button>
    </form>
  );
}

async function renderGrants(c: WebContext, deps: WebDeps): Promise<Response> {
  const { grants, accounts, clock } = deps.services;
  if (grants === undefined)
    return renderPage(c, {
      title: 'Grants',
      body: (
        <section class="panel">
          <h1>Grants</h1>
          <p>Provisioning is not configured on this server, so there are no grants.</p>
        </section>
      ),
    });
  const wanted = c.req.query('status') ?? 'active';
  const status: GrantState = (GRANT_STATES as readonly string[]).includes(wanted)
    ? (wanted as GrantState)
    : 'active';
  const accountId = c.req.query('account_id') ?? '';
  const cursor = c.req.query('cursor');
  const page = await grants.list(actorOf(c), {
    status,
    limit: PAGE_SIZE,
    ...(accountId !== '' ? { accountId } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const names = new Map((await accounts.list({ limit: 500 })).map((a) => [a.id, a.name] as [string, string]));
  const now = clock.now();
  const groups = groupByAccount(page.items, names);
  const soon = page.items.filter((g) => isExpiringSoon(g, now)).length;
  const back = `${c.req.path}${new URL(c.req.url).search}`;
  const csrf = c.get('csrfToken');
  const params = (extra: Record<string, string>) =>
    `/grants?${new URLSearchParams({ status, ...(accountId ? { account_id: accountId } : {}), ...extra })}`;
  return renderPage(c, {
    title: 'Grants',
    body: (
      <>
        <div class="page-head">
          <h1>Grants</h1>
          <p class="muted">
            {page.items.length} {status} grant{page.items.length === 1 ? '' : 's'}
            {soon > 0 && `, ${soon} expiring within the hour`}
          </p>
        </div>
        <Filters status={status} accountId={accountId} accounts={[...names.entries()]} />
        {groups.length === 0 ? (
          <section class="panel">
            <p class="muted">No {status} grants you can see.</p>
          </section>
        ) : (
          groups.map((g) => <AccountSection group={g} now={now} csrf={csrf} back={back} />)
        )}
        {(cursor !== undefined || page.nextCursor !== null) && (
          <p class="actions-row">
            {cursor !== undefined && <a href={params({})}>First page</a>}
            {page.nextCursor !== null && <a href={params({ cursor: page.nextCursor })}>Next page</a>}
          </p>
        )}
      </>
    ),
  });
}

/** Only paths of this page are followed back after a revoke (never another site). */
function backTo(text: string): string {
  return /^\/grants(\?[^\s]*)?$/.test(text) ? text : '/grants';
}

/** Registers `/grants` (any signed-in user: the grant service decides what they see) and the revoke action. */
export function registerGrantPages(app: WebApp, deps: WebDeps): void {
  app.get('/grants', requireUser(), (c) => renderGrants(c, deps));
  app.post('/grants/revoke', requireUser(), async (c) => {
    const { grants } = deps.services;
    const form = await readForm(c);
    const id = form.text('grant_id');
    const back = backTo(form.text('back'));
    return runAction(c, {
      action: async () => {
        if (grants === undefined)
          throw new BrokerError('Unsupported', 'provisioning is not configured on this server');
        await grants.revoke(actorOf(c), id, { reason: form.raw('reason') });
      },
      success: `Grant ${id} is being revoked: its sessions are cut off and its role removed.`,
      location: back,
    });
  });
}
