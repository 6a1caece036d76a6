import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Grants (issue 6, docs/grants.md): one row per (approved request, account). ISO-8601 UTC timestamps, JSON as text.
export const grantsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('grants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('requester_id', 'text', (c) => c.notNull())
      .addColumn('approver_ids', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('not_before', 'text', (c) => c.notNull())
      .addColumn('not_after', 'text', (c) => c.notNull())
      .addColumn('role_name', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text')
      .addColumn('activated_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('revoked_by', 'text')
      .addColumn('revoke_reason', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('grants_request_id_idx').on('grants').column('request_id').execute();
    await db.schema
      .createIndex('grants_requester_status_idx')
      .on('grants')
      .columns(['requester_id', 'status'])
      .execute();
    await db.schema
      .createIndex('grants_status_not_after_idx')
      .on('grants')
      .columns(['status', 'not_after'])
      .execute();
  },
};
