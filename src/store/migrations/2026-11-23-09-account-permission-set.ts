import type { Kysely, Migration } from 'kysely';

// Immutable once committed: change the schema with a new dated migration instead.
// Issue 6 (docs/grants.md, `identity_center` mode): the admin-chosen existing permission set of an account
// (`permission_set_arn`, null = a per-grant permission set for each grant).
export const accountPermissionSetMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('accounts').addColumn('permission_set_arn', 'text').execute();
  },
};
