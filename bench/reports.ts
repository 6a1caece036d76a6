// `npm run bench -- reports`: the compliance reports over a seeded database (20,000 approved requests, each with its
// revision, review and grant), on a SQLite file and on a throwaway Postgres: the grants and approvals reports at
// 10,000 rows as JSON objects and as CSV text, and the risk distribution over every request. Bounded: fixed counts,
// one temp database per dialect, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createReportService, reportCsv } from '../src/audit/reports/report-service.ts';
import { createDatabase, type Database } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createReportsRepo } from '../src/store/reports-repo.ts';
import { getPostgres, isPostgresInstalled } from '../test/support/postgres.ts';

const REQUESTS = 20_000;
const BATCH = 400;
const ROWS = 10_000;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

async function seed(database: Database): Promise<void> {
  const { db } = database;
  await db
    .insertInto('accounts')
    .values(
      ACCOUNTS.map((id, i) => ({
        id,
        name: `Account ${i}`,
        environment: i % 2 === 0 ? 'prod' : 'nonprod',
        provisioning_mode: 'iam_role',
        spoke_role_arn: null,
        external_id: null,
        required_approvals: 1,
        max_duration_hours: null,
        allowed_services: null,
        created_at: iso(T0),
        updated_at: iso(T0),
      })),
    )
    .execute();
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  for (let start = 0; start < REQUESTS; start += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, REQUESTS - start) }, (_, k) => start + k);
    const at = (i: number) => iso(T0 + i * 60_000);
    const account = (i: number) => ACCOUNTS[i % ACCOUNTS.length] ?? '111111111111';
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('requests')
        .values(
          ids.map((i) => ({
            id: `req_${i}`,
            requester_id: `email:user${i % 300}@example.com`,
            status: ['active', 'expired', 'rejected', 'pending'][i % 4] ?? 'active',
            version: 1,
            current_revision: 1,
            access_type: 'custom',
            justification: i % 10 === 0 ? `=cmd|' /c calc'!A1, "ticket" ${i}` : `ticket INC-${i}`,
            duration_hours: 2,
            start_at: null,
            callback_url: null,
            ticket: null,
            tags: '{}',
            approval_deadline: null,
            created_at: at(i),
            updated_at: at(i),
          })),
        )
        .execute();
      await tx
        .insertInto('request_accounts')
        .values(ids.map((i) => ({ request_id: `req_${i}`, account_id: account(i) })))
        .execute();
      await tx
        .insertInto('request_revisions')
        .values(
          ids.map((i) => ({
            request_id: `req_${i}`,
            number: 1,
            author_id: `email:user${i % 300}@example.com`,
            policy,
            source: '{"kind":"policy"}',
            draft_notes: '[]',
            findings: '[]',
            risk: JSON.stringify({ score: (i % 10) + 1, band: 'low', factors: [], accountId: account(i) }),
            created_at: at(i),
          })),
        )
        .execute();
      await tx
        .insertInto('request_reviews')
        .values(
          ids.map((i) => ({
            id: `rev_${i}`,
            request_id: `req_${i}`,
            revision: 1,
            reviewer_id: `email:approver${i % 7}@example.com`,
            decision: i % 4 === 2 ? 'reject' : 'approve',
            comment: i % 3 === 0 ? '-looks fine' : null,
            counts_for: JSON.stringify([account(i)]),
            created_at: at(i + 5),
          })),
        )
        .execute();
      await tx
        .insertInto('grants')
        .values(
          ids.map((i) => ({
            id: `grt_${i}`,
            request_id: `req_${i}`,
            account_id: account(i),
            requester_id: `email:user${i % 300}@example.com`,
            approver_ids: JSON.stringify([`email:approver${i % 7}@example.com`]),
            revision: 1,
            mode: 'iam_role',
            status: i % 2 === 0 ? 'active' : 'expired',
            policy,
            not_before: at(i + 5),
            not_after: at(i + 125),
            role_name: `iam-jit-grt_${i}`,
            role_arn: null,
            activated_at: at(i + 6),
            ended_at: null,
            end_reason: null,
            revoked_by: null,
            revoke_reason: null,
            version: 1,
            created_at: at(i + 5),
            updated_at: at(i + 5),
          })),
        )
        .execute();
    });
  }
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await work();
  console.log(`  ${label.padEnd(48)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return out;
}

async function run(name: string, url: string): Promise<void> {
  const database = createDatabase(url);
  try {
    await migrateToLatest(database.db);
    await seed(database);
    console.log(`${name}: ${REQUESTS} requests, reviews and grants`);
    const reports = createReportService({
      reports: createReportsRepo(database.db, database.dialect),
      clock: { now: () => new Date() },
    });
    const grants = await timed(`grants report, ${ROWS} rows (JSON objects)`, () =>
      reports.grants({ limit: ROWS }),
    );
    const csv = await timed(`grants report, ${ROWS} rows (+ CSV text)`, async () =>
      reportCsv('grants', await reports.grants({ limit: ROWS })),
    );
    console.log(
      `  grants CSV: ${(csv.length / 1024 / 1024).toFixed(1)} MiB, truncated ${grants.summary.truncated}`,
    );
    await timed(`approvals report, ${ROWS} rows (+ CSV text)`, async () =>
      reportCsv('approvals', await reports.approvals({ limit: ROWS })),
    );
    await timed(`approvals report, one approver, since mid-range`, () =>
      reports.approvals({ approverId: 'email:approver3@example.com', since: new Date(T0 + 10_000 * 60_000) }),
    );
    const risk = await timed(`risk distribution over all ${REQUESTS} requests`, () =>
      reports.riskDistribution({}),
    );
    if (risk.summary.total_requests !== REQUESTS)
      throw new Error(`risk counted ${risk.summary.total_requests}`);
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-reports-'));
try {
  await run('sqlite  ', `sqlite:${join(dir, 'reports.db')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (isPostgresInstalled()) await run('postgres', await (await getPostgres()).createDatabase());
else console.log('postgres: skipped (binaries not installed)');
