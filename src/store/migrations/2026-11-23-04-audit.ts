import { type Kysely, type Migration, sql } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// The hash-chained audit stream (issue 7, docs/audit.md). bigint seq, ISO timestamps, JSON as text.
export const auditMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_events')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // Filters of listAuditEvents, each paged by seq.
    await db.schema
      .createIndex('audit_events_actor_idx')
      .on('audit_events')
      .columns(['actor', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_subject_idx')
      .on('audit_events')
      .columns(['subject', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_action_idx')
      .on('audit_events')
      .columns(['action', 'seq'])
      .execute();
    await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();

    // One row: appends lock it (UPDATE … RETURNING), so seq is gap-free and ordered across processes.
    await db.schema
      .createTable('audit_chain_head')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_chain_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
  },
};
