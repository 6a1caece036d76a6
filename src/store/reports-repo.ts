import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { StoredAuditRecord } from '../audit/audit-event.ts';
import type {
  ApprovalReportRecord,
  GrantReportRecord,
  ReportsRepo,
  ReportWindow,
  RiskEnvironmentCount,
  RiskReportQuery,
  RiskScoreCount,
} from '../audit/reports/ports.ts';
import type { DbExecutor, DialectName } from './db.ts';

/** `where <column> >= since and <column> < until` on an ISO-8601 text column (which sorts as time on both dialects). */
function inWindow<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  column: string,
  { since, until }: ReportWindow,
): SelectQueryBuilder<DB, TB, O> {
  let out = q;
  if (since !== undefined) out = out.where(sql.ref(column), '>=', since.toISOString());
  if (until !== undefined) out = out.where(sql.ref(column), '<', until.toISOString());
  return out;
}

/** A request's account ids as one comma-separated text (12-digit ids never contain a comma). */
function accountIdsOf(dialect: DialectName, requestRef: string): RawBuilder<string | null> {
  const agg =
    dialect === 'postgres' ? sql`string_agg(ra.account_id, ',')` : sql`group_concat(ra.account_id, ',')`;
  return sql<
    string | null
  >`(select ${agg} from request_accounts ra where ra.request_id = ${sql.ref(requestRef)})`;
}

/** The integer `score` member of a stored risk review (JSON text). */
function scoreOf(dialect: DialectName): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`((v.risk)::json->>'score')::int`
    : sql<number>`cast(json_extract(v.risk, '$.score') as integer)`;
}

/** `and <condition>` fragments joined; `true` when none. */
function conjunction(parts: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return parts.length === 0 ? sql`1 = 1` : sql.join(parts, sql` and `);
}

function splitIds(text: string | null): string[] {
  return text === null || text === '' ? [] : text.split(',').sort();
}

/**
 * The `ReportsRepo` port over a connection or transaction. Lists are ordered oldest first (grants and reviews by
 * `created_at` then id, events by seq) and cut at `limit`; aggregates are computed in SQL on both dialects.
 */
export function createReportsRepo(db: DbExecutor, dialect: DialectName): ReportsRepo {
  return {
    async grants(query, limit) {
      let q = db
        .selectFrom('grants as g')
        .leftJoin('accounts as a', 'a.id', 'g.account_id')
        .leftJoin('requests as r', 'r.id', 'g.request_id')
        .leftJoin('request_revisions as v', (j) =>
          j.onRef('v.request_id', '=', 'g.request_id').onRef('v.number', '=', 'g.revision'),
        )
        .selectAll('g')
        .select(['a.name as account_name', 'a.environment', 'r.justification', 'v.risk']);
      q = inWindow(q, 'g.created_at', query);
      if (query.status !== undefined) q = q.where('g.status', '=', query.status);
      if (query.accountId !== undefined) q = q.where('g.account_id', '=', query.accountId);
      const rows = await q.orderBy('g.created_at').orderBy('g.id').limit(limit).execute();
      return rows.map(
        (r): GrantReportRecord => ({
          grantId: r.id,
          requestId: r.request_id,
          accountId: r.account_id,
          accountName: r.account_name,
          environment: r.environment,
          requesterId: r.requester_id,
          approverIds: JSON.parse(r.approver_ids) as string[],
          revision: Number(r.revision),
          mode: r.mode,
          status: r.status,
          notBefore: r.not_before,
          notAfter: r.not_after,
          activatedAt: r.activated_at,
          endedAt: r.ended_at,
          endReason: r.end_reason,
          revokedBy: r.revoked_by,
          revokeReason: r.revoke_reason,
          createdAt: r.created_at,
          risk: r.risk,
          justification: r.justification,
        }),
      );
    },

    async activity(query, limit) {
      let q = db.selectFrom('audit_events').selectAll();
      q = inWindow(q, 'at', query);
      const { userId } = query;
      if (userId !== undefined)
        q = q.where((eb) =>
          eb.or([
            eb('actor', '=', userId),
            eb('subject', '=', userId),
            eb('subject', 'in', eb.selectFrom('requests').select('id').where('requester_id', '=', userId)),
            eb('subject', 'in', eb.selectFrom('grants').select('id').where('requester_id', '=', userId)),
          ]),
        );
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map(
        (row): StoredAuditRecord => ({
          seq: Number(row.seq),
          at: row.at,
          actor: row.actor,
          action: row.action,
          subject: row.subject,
          data: row.data,
          prevHash: row.prev_hash,
          hash: row.hash,
        }),
      );
    },

    async approvals(query, limit) {
      let q = db
        .selectFrom('request_reviews as rv')
        .leftJoin('requests as r', 'r.id', 'rv.request_id')
        .leftJoin('request_revisions as v', (j) =>
          j.onRef('v.request_id', '=', 'rv.request_id').onRef('v.number', '=', 'rv.revision'),
        )
        .selectAll('rv')
        .select([
          'r.requester_id',
          'v.risk',
          'v.created_at as submitted_at',
          accountIdsOf(dialect, 'rv.request_id').as('account_ids'),
        ]);
      q = inWindow(q, 'rv.created_at', query);
      if (query.approverId !== undefined) q = q.where('rv.reviewer_id', '=', query.approverId);
      const rows = await q.orderBy('rv.created_at').orderBy('rv.id').limit(limit).execute();
      return rows.map(
        (r): ApprovalReportRecord => ({
          reviewId: r.id,
          requestId: r.request_id,
          requesterId: r.requester_id,
          accountIds: splitIds(r.account_ids),
          countsFor: JSON.parse(r.counts_for) as string[],
          reviewerId: r.reviewer_id,
          decision: r.decision,
          comment: r.comment,
          revision: Number(r.revision),
          risk: r.risk,
          submittedAt: r.submitted_at,
          decidedAt: r.created_at,
        }),
      );
    },

    riskCounts: (query) => riskCounts(db, dialect, query),
  };
}

async function riskCounts(
  db: DbExecutor,
  dialect: DialectName,
  { since, until, accountId }: RiskReportQuery,
): Promise<{ byScore: RiskScoreCount[]; byEnvironment: RiskEnvironmentCount[] }> {
  const window: RawBuilder<unknown>[] = [];
  if (since !== undefined) window.push(sql`r.created_at >= ${since.toISOString()}`);
  if (until !== undefined) window.push(sql`r.created_at < ${until.toISOString()}`);
  const scoreWhere = [...window];
  if (accountId !== undefined)
    scoreWhere.push(
      sql`exists (select 1 from request_accounts fa where fa.request_id = r.id and fa.account_id = ${accountId})`,
    );
  const byScore = await sql<{ score: number | string | null; status: string; count: number | string }>`
    select ${scoreOf(dialect)} as score, r.status as status, count(*) as count
    from requests r
    join request_revisions v on v.request_id = r.id and v.number = r.current_revision
    where ${conjunction(scoreWhere)}
    group by 1, 2`.execute(db);
  // With an account filter, only that account's environment is counted (not the other accounts of the request).
  const envWhere = [...window];
  if (accountId !== undefined) envWhere.push(sql`ra.account_id = ${accountId}`);
  const byEnvironment = await sql<{ environment: string; status: string; count: number | string }>`
    select a.environment as environment, r.status as status, count(distinct r.id) as count
    from requests r
    join request_accounts ra on ra.request_id = r.id
    join accounts a on a.id = ra.account_id
    where ${conjunction(envWhere)}
    group by a.environment, r.status`.execute(db);
  return {
    byScore: byScore.rows
      .filter((r) => r.score !== null)
      .map((r) => ({ score: Number(r.score), status: r.status, count: Number(r.count) })),
    byEnvironment: byEnvironment.rows.map((r) => ({
      environment: r.environment,
      status: r.status,
      count: Number(r.count),
    })),
  };
}
