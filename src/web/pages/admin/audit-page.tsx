/**
 * `/admin/audit`: the hash-chained audit log, oldest first, with the filters and keyset pages of
 * `GET /api/v1/audit`, and the chain's verification on demand (`?verify=1`): OK with the head, or the first bad seq.
 */
import type { AuditEvent } from '../../../audit/audit-event.ts';
import { AUDIT_ACTIONS } from '../../../audit/audit-event.ts';
import type { AuditListQuery } from '../../../audit/query.ts';
import type { AuditVerifyResult } from '../../../audit/verify.ts';
import { Time } from '../../components.tsx';
import type { WebApp, WebDeps } from '../../context.ts';
import { failureOf, type WebContext } from '../../page.tsx';
import { FormError, parseUtcInstant, renderAdminPage } from './admin-shell.tsx';

const PAGE_SIZE = 50;
const FILTERS = ['since', 'until', 'actor', 'action', 'subject', 'limit'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The query string of the current filters plus `extra` (for page links). */
function linkWith(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const v = filters[name];
    if (v !== undefined && v !== '') params.set(name, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text === '' ? '/admin/audit' : `/admin/audit?${text}`;
}

function VerifyPanel({ result, filters }: { result: AuditVerifyResult | undefined; filters: Filters }) {
  return (
    <section class="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">Chain verification</h2>
      {result === undefined ? (
        <p>
          Recomputes every event's hash and link from the first event to the chain head (the same check as{' '}
          <code>iam-jit audit verify</code>).
        </p>
      ) : result.ok ? (
        <p role="status" class="verify-result">
          <span class="badge badge-ok">OK</span> {result.count} events verified; head seq {result.head.seq},
          hash <code>{result.head.hash}</code>.
        </p>
      ) : (
        <p role="alert" class="verify-result">
          <span class="badge badge-bad">BROKEN</span> first bad seq <strong>{result.firstBadSeq}</strong>:{' '}
          {result.reason}.
        </p>
      )}
      <p>
        <a class="button secondary" href={linkWith(filters, { verify: '1' })}>
          {result === undefined ? 'Verify the chain' : 'Verify again'}
        </a>
      </p>
    </section>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const field = (name: keyof Filters, label: string, hint: string, list?: string) => (
    <div>
      <label for={`audit-${name}`}>{label}</label>
      <span class="hint" id={`audit-${name}-hint`}>
        {hint}
      </span>
      <input
        type="text"
        id={`audit-${name}`}
        name={name}
        value={filters[name] ?? ''}
        list={list}
        aria-describedby={`audit-${name}-hint`}
        autocomplete="off"
      />
    </div>
  );
  return (
    <form method="get" action="/admin/audit" class="stack stack-fields filters">
      <div class="actions-row filter-grid">
        {field('since', 'Since', 'UTC, inclusive')}
        {field('until', 'Until', 'UTC, exclusive')}
        {field('actor', 'Actor', 'user id or system')}
        {field('action', 'Action', 'e.g. request.approved', 'audit-actions')}
        {field('subject', 'Subject', 'request, grant, user, account')}
        {field('limit', 'Per page', `1–1000, default ${PAGE_SIZE}`)}
      </div>
      <datalist id="audit-actions">
        {AUDIT_ACTIONS.map((a) => (
          <option value={a} />
        ))}
      </datalist>
      <p class="actions-row">
        <button type="submit">Filter</button>
        <a href="/admin/audit">Clear filters</a>
      </p>
    </form>
  );
}

function EventRow({ event }: { event: AuditEvent }) {
  const data = JSON.stringify(event.data);
  return (
    <tr data-seq={event.seq}>
      <td>{event.seq}</td>
      <td class="small">
        <Time at={event.at} />
      </td>
      <td class="small">{event.actor}</td>
      <td>
        <code>{event.action}</code>
      </td>
      <td class="small">{event.subject ?? '—'}</td>
      <td>
        {data === '{}' ? (
          <span class="muted">—</span>
        ) : data.length <= 80 ? (
          <code class="small">{data}</code>
        ) : (
          <details>
            <summary>
              Details<span class="visually-hidden"> of event {event.seq}</span>
            </summary>
            <pre>{JSON.stringify(event.data, null, 2)}</pre>
          </details>
        )}
      </td>
    </tr>
  );
}

async function renderAudit(c: WebContext, deps: WebDeps): Promise<Response> {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const v = c.req.query(name)?.trim();
    if (v !== undefined && v !== '') filters[name] = v;
  }
  const after = c.req.query('after');
  const query: AuditListQuery = {
    // A limit the service refuses (not 1–1000) is shown as its message, like any other bad filter.
    limit: filters.limit === undefined ? PAGE_SIZE : Number(filters.limit),
    ...(after !== undefined && after !== '' ? { after } : {}),
    ...(filters.since !== undefined ? { since: parseUtcInstant(filters.since) } : {}),
    ...(filters.until !== undefined ? { until: parseUtcInstant(filters.until) } : {}),
    ...(filters.actor !== undefined ? { actor: filters.actor } : {}),
    ...(filters.action !== undefined ? { action: filters.action } : {}),
    ...(filters.subject !== undefined ? { subject: filters.subject } : {}),
  };
  let events: AuditEvent[] = [];
  let next: string | undefined;
  let error: string | undefined;
  try {
    const page = await deps.services.audit.list(query);
    events = page.events;
    next = page.nextCursor;
  } catch (e) {
    const failure = failureOf(e);
    if (failure === undefined) throw e;
    error = failure.message;
  }
  const verification = c.req.query('verify') === '1' ? await deps.services.audit.verify() : undefined;
  return renderAdminPage(c, {
    title: 'Audit log',
    ...(error === undefined ? {} : { status: 400 as const }),
    body: (
      <>
        <div class="page-head">
          <h1>Audit log</h1>
        </div>
        <VerifyPanel result={verification} filters={filters} />
        <section class="panel" aria-labelledby="events-title">
          <h2 id="events-title">Events</h2>
          <FilterForm filters={filters} />
          <FormError message={error} />
          {events.length === 0 ? (
            <p class="muted">No events match.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Audit events, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Seq</th>
                    <th scope="col">At</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Data</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => (
                    <EventRow event={e} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {(after !== undefined || next !== undefined) && (
            <p class="actions-row">
              {after !== undefined && <a href={linkWith(filters)}>First page</a>}
              {next !== undefined && <a href={linkWith(filters, { after: next })}>Next page</a>}
            </p>
          )}
        </section>
      </>
    ),
  });
}

/** Registers `/admin/audit` (behind the admin guard). */
export function registerAuditPages(app: WebApp, deps: WebDeps): void {
  app.get('/admin/audit', (c) => renderAudit(c, deps));
}
