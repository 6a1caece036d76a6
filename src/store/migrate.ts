import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { MIGRATIONS } from './migrations/index.ts';

/** A migration provider over an explicit list (default: all of iam-jit's). */
export function createMigrationProvider(
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): MigrationProvider {
  return { getMigrations: async () => ({ ...migrations }) };
}

/**
 * Brings the schema up to date and returns the names applied now (empty when already current).
 * Safe to run from several replicas at once: Kysely takes a lock (a Postgres advisory lock) first.
 * Throws Error naming the failed migration; that migration's changes are rolled back where the dialect allows.
 */
export async function migrateToLatest<D>(
  db: Kysely<D>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: createMigrationProvider(migrations) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of applied and pending migrations, for `iam-jit migrate --status`. */
export async function migrationStatus<D>(
  db: Kysely<D>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<{ applied: string[]; pending: string[] }> {
  const migrator = new Migrator({ db, provider: createMigrationProvider(migrations) });
  const all = await migrator.getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
