import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Issue 6 (docs/jobs.md): a runner claims due jobs of its types, urgent types first, and asks for the next due
// `run_at` of its types. With only (status, run_at), a claim for the urgent types walked every due pending job of
// every type (during a burst of expiries: thousands of notifications) and sorted them; (status, type, run_at) lets
// both queries seek to their types. It replaces the old index, whose queries it serves as well.
export const jobClaimIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('jobs_status_type_run_at_idx')
      .on('jobs')
      .columns(['status', 'type', 'run_at'])
      .execute();
    await db.schema.dropIndex('jobs_status_run_at_idx').execute();
  },
};
