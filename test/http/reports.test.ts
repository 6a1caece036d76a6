// GET /api/v1/reports/* over a real socket: admin only (exact 403 text), filters, time bounds, CSV parsed with a
// real parser (quoting, formula neutralisation), the row bound, and no token or login link in any report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createFakeClock, HOUR, MINUTE } from '../../src/lib/clock.ts';
import { createGrantRepo } from '../../src/store/grants-repo.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { call, type Loose, list, startTestServer, type TestServer } from './harness.ts';

const T0 = '2026-11-01T00:00:00.000Z';
const DEV = '111122223333';
const PROD = '444455556666';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};
/** Every CSV hazard at once: a leading `=`, quotes, a comma and a line break. */
const NASTY = '=HYPERLINK("http://evil.example","click"), then\nmore';
const REPORTS = ['grants', 'activity', 'approvals', 'risk-distribution'] as const;

function csvRows(text: string): string[][] {
  return parse(text) as string[][];
}

forEachDialect('HTTP reports', (ctx) => {
  const clock = createFakeClock(T0);
  let server: TestServer;
  let admin: SeededUser;
  let alice: SeededUser;
  let bob: SeededUser;
  const ids: { r1: string; r2: string; r3: string; risk1: number } = { r1: '', r2: '', r3: '', risk1: 0 };

  const at = (ms: number) => new Date(new Date(T0).getTime() + ms).toISOString();
  const get = (path: string, who: SeededUser = admin) => call(server, 'GET', path, { token: who.token });
  async function post(path: string, who: SeededUser, body: unknown): Promise<Loose> {
    const res = await call(server, 'POST', path, { token: who.token, body });
    assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${res.text}`);
    return res.body;
  }
  async function submit(accounts: string[], justification: string): Promise<Loose> {
    return post('/api/v1/requests', alice, {
      account_ids: accounts,
      justification,
      duration_hours: 2,
      policy: POLICY,
    });
  }

  before(async () => {
    server = await startTestServer(ctx.database, { clock });
    admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'], clock });
    alice = await seedUser(ctx.database, { id: 'email:alice@x.com', clock });
    bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'], clock });
    for (const [id, name, environment] of [
      [DEV, 'Dev', 'nonprod'],
      [PROD, 'Prod', 'prod'],
    ] as const)
      await post('/api/v1/accounts', admin, { id, name, environment, approvers: [bob.user.id] });
    // r1 at +1h, approved at +2h (with a grant); r2 at +1d, rejected 30 min later; r3 at +2d on both, sent back.
    clock.set(at(HOUR));
    const r1 = await submit([DEV], NASTY);
    ids.r1 = String(r1.request?.id);
    ids.risk1 = Number(list(r1.revisions)[0]?.risk?.score);
    clock.set(at(2 * HOUR));
    await post(`/api/v1/requests/${ids.r1}/approve`, bob, { comment: '-1 looks fine' });
    await createGrantRepo(ctx.database.db).insert({
      id: 'grt_report_1',
      requestId: ids.r1,
      accountId: DEV,
      requesterId: alice.user.id,
      approverIds: [bob.user.id],
      revision: 1,
      mode: 'iam_role',
      status: 'active',
      policy: POLICY,
      notBefore: clock.now(),
      notAfter: new Date(clock.now().getTime() + 2 * HOUR),
      roleName: 'iam-jit-grt_report_1',
      roleArn: null,
      activatedAt: clock.now(),
      endedAt: null,
      endReason: null,
      revokedBy: null,
      revokeReason: null,
      version: 1,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    clock.set(at(24 * HOUR));
    ids.r2 = String((await submit([PROD], 'prod access')).request?.id);
    clock.set(at(24 * HOUR + 30 * MINUTE));
    await post(`/api/v1/requests/${ids.r2}/reject`, bob, { reason: 'too broad' });
    clock.set(at(48 * HOUR));
    ids.r3 = String((await submit([DEV, PROD], 'both')).request?.id);
    clock.set(at(49 * HOUR));
    await post(`/api/v1/requests/${ids.r3}/request-changes`, bob, { comment: '@narrow it' });
    clock.set(at(72 * HOUR));
  });
  after(async () => server.close());

  test('requesters and approvers get 403 "admin role required" on every report, JSON or CSV', async () => {
    for (const who of [alice, bob])
      for (const kind of REPORTS)
        for (const format of ['json', 'csv']) {
          const res = await get(`/api/v1/reports/${kind}?format=${format}`, who);
          assert.equal(res.status, 403, `${kind} ${format}`);
          assert.deepEqual(res.body, { error: { code: 'Forbidden', message: 'admin role required' } });
        }
    assert.equal((await call(server, 'GET', '/api/v1/reports/grants')).status, 401);
  });

  test('grants report: one row per grant with account, requester, approvers, risk and justification', async () => {
    const res = await get('/api/v1/reports/grants');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.body.generated_at, at(72 * HOUR));
    const [row, ...rest] = list(res.body.items);
    assert.equal(rest.length, 0);
    assert.deepEqual(row, {
      grant_id: 'grt_report_1',
      request_id: ids.r1,
      account_id: DEV,
      account_name: 'Dev',
      environment: 'nonprod',
      requester_id: 'email:alice@x.com',
      requester_email: 'alice@x.com',
      approver_ids: ['email:bob@x.com'],
      mode: 'iam_role',
      status: 'active',
      revision: 1,
      risk_score: ids.risk1,
      risk_band: ids.risk1 <= 4 ? 'low' : ids.risk1 <= 6 ? 'medium' : ids.risk1 <= 8 ? 'high' : 'critical',
      created_at: at(2 * HOUR),
      not_before: at(2 * HOUR),
      not_after: at(4 * HOUR),
      activated_at: at(2 * HOUR),
      ended_at: null,
      revoked_by: null,
      revoke_reason: null,
      end_reason: null,
      justification: NASTY,
    });
    assert.deepEqual(res.body.summary, { count: 1, truncated: false, by_status: { active: 1 } });
    // Filters: status, account, time window (since inclusive, until exclusive).
    const count = async (q: string) => list((await get(`/api/v1/reports/grants?${q}`)).body.items).length;
    assert.equal(await count('status=revoked'), 0);
    assert.equal(await count('status=active'), 1);
    assert.equal(await count(`account_id=${PROD}`), 0);
    assert.equal(await count(`account_id=${DEV}`), 1);
    assert.equal(await count(`since=${at(2 * HOUR)}`), 1);
    assert.equal(await count(`since=${at(2 * HOUR + 1)}`), 0);
    assert.equal(await count(`until=${at(2 * HOUR)}`), 0);
    assert.equal(await count(`until=${at(2 * HOUR + 1)}`), 1);
    assert.equal(await count('since=2026-11-01&until=2026-11-02'), 1);
  });

  test('grants CSV: RFC 4180 attachment, header, and the justification round-trips neutralised', async () => {
    const res = await get('/api/v1/reports/grants?format=csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      res.headers.get('content-disposition'),
      'attachment; filename="iam-jit-grants-2026-11-04.csv"',
    );
    assert.ok(res.text.endsWith('\r\n'));
    const [header, ...rows] = csvRows(res.text);
    assert.deepEqual(header?.slice(0, 3), ['grant_id', 'request_id', 'account_id']);
    assert.equal(header?.at(-1), 'justification');
    assert.equal(rows.length, 1);
    const cell = (name: string) => rows[0]?.[header?.indexOf(name) ?? -1];
    assert.equal(cell('justification'), `'${NASTY}`);
    assert.equal(cell('approver_ids'), 'email:bob@x.com');
    assert.equal(cell('risk_score'), String(ids.risk1));
    assert.equal(cell('ended_at'), '');
    const empty = await get('/api/v1/reports/grants?format=csv&status=revoked');
    assert.equal(csvRows(empty.text).length, 1, 'header only');
  });

  test('approvals report: every decision, time to decision, comments neutralised, totals per approver', async () => {
    const res = await get('/api/v1/reports/approvals');
    assert.equal(res.status, 200, res.text);
    const rows = list(res.body.items);
    assert.deepEqual(
      rows.map((r) => [r.request_id, r.decision, r.seconds_to_decision, r.approver_id]),
      [
        [ids.r1, 'approve', 3600, 'email:bob@x.com'],
        [ids.r2, 'reject', 1800, 'email:bob@x.com'],
        [ids.r3, 'request_changes', 3600, 'email:bob@x.com'],
      ],
    );
    assert.deepEqual(rows[2]?.account_ids, [DEV, PROD]);
    assert.equal(rows[0]?.risk_score, ids.risk1);
    assert.equal(rows[1]?.comment, 'too broad');
    assert.deepEqual(res.body.summary, {
      count: 3,
      truncated: false,
      approvers: [
        {
          approver_id: 'email:bob@x.com',
          total: 3,
          approve: 1,
          reject: 1,
          request_changes: 1,
          mean_seconds_to_decision: 3000,
          median_seconds_to_decision: 3600,
        },
      ],
    });
    const windowed = await get(`/api/v1/reports/approvals?since=${at(24 * HOUR + 30 * MINUTE)}`);
    assert.deepEqual(
      list(windowed.body.items).map((r) => r.decision),
      ['reject', 'request_changes'],
    );
    const before = await get(`/api/v1/reports/approvals?until=${at(24 * HOUR + 30 * MINUTE)}`);
    assert.deepEqual(
      list(before.body.items).map((r) => r.decision),
      ['approve'],
    );
    const nobody = await get('/api/v1/reports/approvals?approver_id=email:admin@x.com');
    assert.equal(list(nobody.body.items).length, 0);
    const csv = await get('/api/v1/reports/approvals?format=csv');
    assert.equal(
      csv.headers.get('content-disposition'),
      'attachment; filename="iam-jit-approvals-2026-11-04.csv"',
    );
    const [header, ...csvData] = csvRows(csv.text);
    const comment = header?.indexOf('comment') ?? -1;
    assert.deepEqual(
      csvData.map((r) => r[comment]),
      ["'-1 looks fine", 'too broad', "'@narrow it"],
    );
  });

  test('activity report: what a user did and what happened to their requests and grants', async () => {
    const res = await get(`/api/v1/reports/activity?user_id=${encodeURIComponent(alice.user.id)}`);
    assert.equal(res.status, 200, res.text);
    const rows = list(res.body.items);
    const seen = rows.map((r) => [String(r.action), String(r.relation), String(r.subject)]);
    for (const expected of [
      ['request.submitted', 'did', ids.r1],
      ['request.approved', 'about', ids.r1],
      ['request.rejected', 'about', ids.r2],
      ['request.changes_requested', 'about', ids.r3],
    ])
      assert.ok(
        seen.some((s) => s.join() === expected.join()),
        `${expected.join()} in ${JSON.stringify(seen)}`,
      );
    // Nothing that is neither by alice nor about her, her requests or grants (e.g. account creation by the admin).
    assert.equal(
      rows.some((r) => String(r.action) === 'account.created'),
      false,
    );
    const seqs = rows.map((r) => Number(r.seq));
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    const windowed = await get(
      `/api/v1/reports/activity?user_id=${encodeURIComponent(alice.user.id)}&since=${at(24 * HOUR)}&until=${at(48 * HOUR)}`,
    );
    assert.deepEqual(
      list(windowed.body.items).map((r) => r.action),
      ['request.submitted', 'request.rejected'],
    );
    const csv = await get(`/api/v1/reports/activity?format=csv&user_id=${encodeURIComponent(alice.user.id)}`);
    const [header, ...data] = csvRows(csv.text);
    assert.deepEqual(header, ['seq', 'at', 'actor', 'action', 'subject', 'relation', 'data']);
    assert.equal(data.length, rows.length);
    for (const r of data) assert.doesNotThrow(() => JSON.parse(r[6] ?? ''));
  });

  test('risk distribution: ten score buckets (zeros included), bands and environments, with outcomes', async () => {
    const res = await get('/api/v1/reports/risk-distribution');
    assert.equal(res.status, 200, res.text);
    const rows = list(res.body.items);
    const scores = rows.filter((r) => String(r.dimension) === 'score');
    assert.deepEqual(
      scores.map((r) => r.key),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    );
    assert.equal(
      scores.reduce((n, r) => n + Number(r.requests), 0),
      3,
    );
    assert.equal(res.body.summary?.total_requests, 3);
    assert.deepEqual(
      rows.filter((r) => String(r.dimension) === 'band').map((r) => r.key),
      ['low', 'medium', 'high', 'critical'],
    );
    const env = (key: string) =>
      rows.find((r) => String(r.dimension) === 'environment' && String(r.key) === key);
    // r1 (approved) and r3 (changes requested) target nonprod; r2 (rejected) and r3 target prod.
    assert.deepEqual(env('nonprod'), {
      dimension: 'environment',
      key: 'nonprod',
      requests: 2,
      approved: 1,
      rejected: 0,
      pending: 1,
      cancelled: 0,
      timed_out: 0,
    });
    assert.deepEqual([env('prod')?.requests, env('prod')?.rejected, env('prod')?.pending], [2, 1, 1]);
    const totals = ['approved', 'rejected', 'pending'].map((o) =>
      scores.reduce((n, r) => n + Number(r[o]), 0),
    );
    assert.deepEqual(totals, [1, 1, 1]);
    const onlyProd = await get(`/api/v1/reports/risk-distribution?account_id=${PROD}`);
    assert.equal(onlyProd.body.summary?.total_requests, 2);
    assert.deepEqual(
      list(onlyProd.body.items)
        .filter((r) => String(r.dimension) === 'environment')
        .map((r) => r.key),
      ['prod'],
    );
    const early = await get(`/api/v1/reports/risk-distribution?until=${at(24 * HOUR)}`);
    assert.equal(early.body.summary?.total_requests, 1);
    const csv = await get('/api/v1/reports/risk-distribution?format=csv');
    const [header, ...data] = csvRows(csv.text);
    assert.deepEqual(header, [
      'dimension',
      'key',
      'requests',
      'approved',
      'rejected',
      'pending',
      'cancelled',
      'timed_out',
    ]);
    assert.equal(data.length, 10 + 4 + 2);
  });

  test('bad input: a bad since names the field; limit beyond 100000, since ≥ until and bad ids are 400', async () => {
    const bad = await get('/api/v1/reports/grants?since=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.code, 'InvalidRequest');
    assert.match(String(bad.body.error?.message), /^since: since must be an ISO-8601 date/);
    const badUntil = await get('/api/v1/reports/activity?until=2026-13-45');
    assert.equal(badUntil.status, 400);
    assert.match(String(badUntil.body.error?.message), /^until: /);
    const tooMany = await get('/api/v1/reports/approvals?limit=100001');
    assert.equal(tooMany.status, 400);
    assert.match(String(tooMany.body.error?.message), /^limit: limit must be at most 100000/);
    const reversed = await get(`/api/v1/reports/grants?since=${at(HOUR)}&until=${at(HOUR)}`);
    assert.equal(reversed.status, 400);
    assert.deepEqual(reversed.body.error, {
      code: 'InvalidInput',
      message: 'since must be before until',
      details: { field: 'since' },
    });
    assert.equal((await get('/api/v1/reports/grants?account_id=12')).status, 400);
    assert.equal((await get('/api/v1/reports/grants?status=nope')).status, 400);
    assert.equal((await get('/api/v1/reports/grants?format=xlsx')).status, 400);
  });

  test('limit cuts a report and says so (summary and header)', async () => {
    const res = await get('/api/v1/reports/approvals?limit=2');
    assert.equal(list(res.body.items).length, 2);
    assert.equal(res.body.summary?.truncated, true);
    assert.equal(res.headers.get('x-iam-jit-report-truncated'), 'true');
    const csv = await get('/api/v1/reports/approvals?limit=2&format=csv');
    assert.equal(csvRows(csv.text).length, 3);
    assert.equal(csv.headers.get('x-iam-jit-report-truncated'), 'true');
    const all = await get('/api/v1/reports/approvals?limit=3');
    assert.equal(all.body.summary?.truncated, false);
  });

  test('no report contains an API token or a login link, even after minting one and requesting a link', async () => {
    const minted = await post('/api/v1/tokens', alice, { label: 'report probe' });
    const token = String(minted.token);
    assert.match(token, /^iamjit_/);
    const link = await server.services.login.requestLink('alice@x.com');
    assert.ok(link);
    const secrets = [token, link.token, alice.token, alice.sessionToken, admin.token];
    for (const kind of REPORTS)
      for (const format of ['json', 'csv']) {
        const res = await get(`/api/v1/reports/${kind}?format=${format}`);
        assert.equal(res.status, 200);
        for (const secret of secrets)
          assert.equal(res.text.includes(secret), false, `${kind} ${format} leaks a secret`);
      }
  });
});
