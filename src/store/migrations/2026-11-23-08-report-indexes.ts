import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Issue 7 (docs/reports.md): the compliance reports read grants, reviews and requests by time window (and reviews
// by approver), oldest first; these indexes keep those range scans off full-table scans.
export const reportIndexesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('grants_created_at_idx').on('grants').columns(['created_at', 'id']).execute();
    await db.schema
      .createIndex('request_reviews_created_at_idx')
      .on('request_reviews')
      .columns(['created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('request_reviews_reviewer_created_at_idx')
      .on('request_reviews')
      .columns(['reviewer_id', 'created_at'])
      .execute();
    await db.schema.createIndex('requests_created_at_idx').on('requests').column('created_at').execute();
  },
};
