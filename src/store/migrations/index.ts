import type { Migration } from 'kysely';
import { identityMigration } from './2026-11-23-01-identity.ts';
import { requestsMigration } from './2026-11-23-02-requests.ts';
import { jobsMigration } from './2026-11-23-03-jobs.ts';
import { auditMigration } from './2026-11-23-04-audit.ts';
import { grantsMigration } from './2026-11-23-05-grants.ts';
import { notificationsMigration } from './2026-11-23-06-notifications.ts';
import { grantRegionsExtensionsMigration } from './2026-11-23-07-grant-regions-extensions.ts';
import { reportIndexesMigration } from './2026-11-23-08-report-indexes.ts';
import { accountPermissionSetMigration } from './2026-11-23-09-account-permission-set.ts';
import { jobClaimIndexMigration } from './2026-11-23-10-job-claim-index.ts';

/**
 * Every migration, listed explicitly (no directory scanning, so bundling and tests see the same set).
 * Names are `YYYY-MM-DD-NN-<topic>` (NN orders migrations of one day); Kysely applies them in name order,
 * so a new migration's name must sort after every existing one. Append only — never edit or reorder.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '2026-11-23-01-identity': identityMigration,
  '2026-11-23-02-requests': requestsMigration,
  '2026-11-23-03-jobs': jobsMigration,
  '2026-11-23-04-audit': auditMigration,
  '2026-11-23-05-grants': grantsMigration,
  '2026-11-23-06-notifications': notificationsMigration,
  '2026-11-23-07-grant-regions-extensions': grantRegionsExtensionsMigration,
  '2026-11-23-08-report-indexes': reportIndexesMigration,
  '2026-11-23-09-account-permission-set': accountPermissionSetMigration,
  '2026-11-23-10-job-claim-index': jobClaimIndexMigration,
});
