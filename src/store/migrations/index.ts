import type { Migration } from 'kysely';
import { auditMigration } from './2026-11-23-audit.ts';
import { identityMigration } from './2026-11-23-identity.ts';
import { jobsMigration } from './2026-11-23-jobs.ts';
import { requestsMigration } from './2026-11-23-requests.ts';

/**
 * Every migration, listed explicitly (no directory scanning, so bundling and tests see the same set).
 * Names are `YYYY-MM-DD-<topic>`; Kysely applies them in name order. Append only — never edit or reorder.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '2026-11-23-identity': identityMigration,
  '2026-11-23-jobs': jobsMigration,
  '2026-11-23-audit': auditMigration,
  '2026-11-23-requests': requestsMigration,
});
