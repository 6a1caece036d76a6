// The reads behind the Prometheus metrics: grouped counts taken at scrape time, and the two lookups that turn a
// committed audit event into an observation (a request's submission time, a grant's account).
import type { MetricsReader } from '../metrics/ports.ts';
import type { DbExecutor } from './db.ts';

/** The `MetricsReader` over a connection. */
export function createMetricsReader(db: DbExecutor): MetricsReader {
  const grouped = async (table: 'requests' | 'grants'): Promise<Map<string, number>> => {
    const rows = await db
      .selectFrom(table)
      .select((eb) => ['status', eb.fn.countAll<number | string | bigint>().as('n')])
      .groupBy('status')
      .execute();
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  };
  return {
    countRequestsByStatus: () => grouped('requests'),
    countGrantsByStatus: () => grouped('grants'),
    async requestSubmittedAt(requestId) {
      const row = await db
        .selectFrom('requests')
        .select('created_at')
        .where('id', '=', requestId)
        .executeTakeFirst();
      return row === undefined ? undefined : new Date(row.created_at);
    },
    async grantAccountId(grantId) {
      const row = await db
        .selectFrom('grants')
        .select('account_id')
        .where('id', '=', grantId)
        .executeTakeFirst();
      return row?.account_id;
    },
  };
}
