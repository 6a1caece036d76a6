import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Issue 6 (docs/grants.md): the regions a request is limited to (JSON array text, null = any), copied to its
// grants; and extension requests (`extends_grant_id`: the grant a request asks to lengthen).
export const grantRegionsExtensionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('requests').addColumn('regions', 'text').execute();
    await db.schema.alterTable('requests').addColumn('extends_grant_id', 'text').execute();
    await db.schema
      .createIndex('requests_extends_grant_id_idx')
      .on('requests')
      .column('extends_grant_id')
      .execute();
    await db.schema.alterTable('grants').addColumn('regions', 'text').execute();
  },
};
