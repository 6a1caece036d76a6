/**
 * `/admin/reports`: the risk distribution of requests in a time window (a server-generated SVG chart, and tables by
 * band and environment with outcomes) from the report service, plus CSV download links to the reports API
 * (`/api/v1/reports/<kind>?format=csv`, same origin: the session cookie authenticates the GET).
 */
import { raw } from 'hono/html';
import { REPORT_KINDS } from '../../../audit/reports/report.ts';
import type { RiskReportRow } from '../../../audit/reports/risk-report.ts';
import { RISK_OUTCOMES } from '../../../audit/reports/risk-report.ts';
import { renderRiskChart } from '../../charts/risk-chart.ts';
import { Time } from '../../components.tsx';
import type { WebApp, WebDeps } from '../../context.ts';
import { failureOf, type WebContext } from '../../page.tsx';
import { FormError, parseUtcInstant, renderAdminPage } from './admin-shell.tsx';

const REPORT_TITLES: Record<(typeof REPORT_KINDS)[number], string> = {
  grants: 'Grants: one row per grant created in the window',
  activity: 'Activity: audit events in the window',
  approvals: 'Approvals: every review decision, with time to decision',
  'risk-distribution': 'Risk distribution: requests per score, band and environment, with outcomes',
};

/** A CSV download link of the reports API for the window (only well-formed dates are passed on). */
export function csvLink(kind: string, window: { since: string; until: string }): string {
  const params = new URLSearchParams({ format: 'csv' });
  if (window.since !== '') params.set('since', window.since);
  if (window.until !== '') params.set('until', window.until);
  return `/api/v1/reports/${kind}?${params}`;
}

function OutcomeTable({
  caption,
  first,
  rows,
}: {
  caption: string;
  first: string;
  rows: readonly RiskReportRow[];
}) {
  return (
    <>
      <h3>{caption}</h3>
      {/* Focusable so keyboard users can scroll it on narrow screens (WCAG 2.1.1). */}
      <section class="table-wrap" tabindex={0} aria-label={`Requests ${caption.toLowerCase()}`}>
        <table>
          <caption class="visually-hidden">{`Requests ${caption.toLowerCase()}, with outcomes`}</caption>
          <thead>
            <tr>
              <th scope="col">{first}</th>
              <th scope="col">Requests</th>
              {RISK_OUTCOMES.map((o) => (
                <th scope="col">{o.replace('_', ' ')}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.key}</th>
                <td>{r.requests}</td>
                {RISK_OUTCOMES.map((o) => (
                  <td>{r[o]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

async function renderReports(c: WebContext, deps: WebDeps): Promise<Response> {
  const since = c.req.query('since')?.trim() ?? '';
  const until = c.req.query('until')?.trim() ?? '';
  let rows: RiskReportRow[] = [];
  let total = 0;
  let generatedAt: Date | undefined;
  let error: string | undefined;
  try {
    const report = await deps.services.reports.riskDistribution({
      ...(since !== '' ? { since: parseUtcInstant(since) } : {}),
      ...(until !== '' ? { until: parseUtcInstant(until) } : {}),
    });
    rows = report.items;
    total = report.summary.total_requests;
    generatedAt = report.generatedAt;
  } catch (e) {
    const failure = failureOf(e);
    if (failure === undefined) throw e;
    error = failure.message;
  }
  const scores = rows.filter((r) => r.dimension === 'score');
  const chart = renderRiskChart(
    scores.map((r) => ({ score: Number(r.key), count: r.requests })),
    { title: 'Requests by risk score', unit: 'requests', id: 'risk-chart' },
  );
  const window = error === undefined ? { since, until } : { since: '', until: '' };
  return renderAdminPage(c, {
    title: 'Reports',
    ...(error === undefined ? {} : { status: 400 as const }),
    body: (
      <>
        <div class="page-head">
          <h1>Reports</h1>
          {generatedAt !== undefined && (
            <p class="muted small">
              Generated <Time at={generatedAt} />
            </p>
          )}
        </div>
        <form method="get" action="/admin/reports" class="panel stack stack-fields">
          <h2>Time window</h2>
          <FormError message={error} />
          <div class="actions-row">
            <div>
              <label for="report-since">Since</label>
              <span class="hint" id="report-since-hint">
                YYYY-MM-DD (UTC), inclusive
              </span>
              <input
                type="text"
                inputmode="numeric"
                id="report-since"
                name="since"
                value={since}
                aria-describedby="report-since-hint"
              />
            </div>
            <div>
              <label for="report-until">Until</label>
              <span class="hint" id="report-until-hint">
                YYYY-MM-DD (UTC), exclusive
              </span>
              <input
                type="text"
                inputmode="numeric"
                id="report-until"
                name="until"
                value={until}
                aria-describedby="report-until-hint"
              />
            </div>
          </div>
          <p class="actions-row">
            <button type="submit">Show</button>
            <a href="/admin/reports">All time</a>
          </p>
        </form>
        <section class="panel" aria-labelledby="risk-title">
          <h2 id="risk-title">Risk distribution</h2>
          <p>
            {total} request{total === 1 ? '' : 's'}{' '}
            {since === '' && until === '' ? 'in all' : 'in the window'}, counted by the risk score of their
            current revision.
          </p>
          <section class="table-wrap chart" tabindex={0} aria-label="Risk chart">
            {raw(chart)}
          </section>
          <OutcomeTable caption="By band" first="Band" rows={rows.filter((r) => r.dimension === 'band')} />
          {rows.some((r) => r.dimension === 'environment') && (
            <OutcomeTable
              caption="By environment"
              first="Environment"
              rows={rows.filter((r) => r.dimension === 'environment')}
            />
          )}
        </section>
        <section class="panel" aria-labelledby="csv-title">
          <h2 id="csv-title">CSV downloads</h2>
          <p>RFC 4180 with a header row; cells that a spreadsheet would run as formulas are neutralised.</p>
          <ul class="downloads">
            {REPORT_KINDS.map((kind) => (
              <li>
                <a href={csvLink(kind, window)} download>
                  {kind}.csv
                </a>{' '}
                <span class="muted small">{REPORT_TITLES[kind]}</span>
              </li>
            ))}
          </ul>
        </section>
      </>
    ),
  });
}

/** Registers `/admin/reports` (behind the admin guard). */
export function registerReportPages(app: WebApp, deps: WebDeps): void {
  app.get('/admin/reports', (c) => renderReports(c, deps));
}
