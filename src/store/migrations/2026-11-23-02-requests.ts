import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Accounts and access requests (issue 4). Text ids, ISO timestamps, JSON as text: types both dialects accept.
export const requestsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('provisioning_mode', 'text', (c) => c.notNull())
      .addColumn('spoke_role_arn', 'text')
      .addColumn('external_id', 'text')
      .addColumn('required_approvals', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('max_duration_hours', 'double precision')
      .addColumn('allowed_services', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('account_approvers')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('account_approvers_pk', ['account_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('account_approvers_user_idx')
      .on('account_approvers')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('requester_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('current_revision', 'integer', (c) => c.notNull())
      .addColumn('access_type', 'text', (c) => c.notNull())
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('duration_hours', 'double precision', (c) => c.notNull())
      .addColumn('start_at', 'text')
      .addColumn('callback_url', 'text')
      .addColumn('ticket', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('approval_deadline', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('requests_requester_idx')
      .on('requests')
      .columns(['requester_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('requests_status_idx')
      .on('requests')
      .columns(['status', 'created_at'])
      .execute();

    // No cascade to accounts: an account with requests cannot be deleted (AccountInUse).
    await db.schema
      .createTable('request_accounts')
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addPrimaryKeyConstraint('request_accounts_pk', ['request_id', 'account_id'])
      .execute();
    await db.schema
      .createIndex('request_accounts_account_idx')
      .on('request_accounts')
      .column('account_id')
      .execute();

    await db.schema
      .createTable('request_revisions')
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('draft_notes', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('request_revisions_pk', ['request_id', 'number'])
      .execute();

    await db.schema
      .createTable('request_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('reviewer_id', 'text', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      // JSON array of the account ids an approval counts towards (listed approver of, or all when by an admin).
      .addColumn('counts_for', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('request_reviews_request_idx')
      .on('request_reviews')
      .columns(['request_id', 'revision'])
      .execute();

    await db.schema
      .createTable('request_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      // Position of its `commented` event: comments sort in the order they were made, even within one millisecond.
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('request_comments_request_idx')
      .on('request_comments')
      .column('request_id')
      .execute();

    // Append-only: no cascade, nothing updates or deletes these rows.
    await db.schema
      .createTable('request_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // seq numbers a request's events 1, 2, 3… (writers lock the request row first); unique, so a gap-free history.
    await db.schema
      .createIndex('request_events_request_seq_idx')
      .on('request_events')
      .columns(['request_id', 'seq'])
      .unique()
      .execute();
  },
};
