import type { Command } from 'commander';
import { createDatabase, redactUrl } from '../store/database.ts';
import { migrateToLatest, migrationStatus } from '../store/migrate.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';
import { loadServerConfig, reportConfigError } from './serve-command.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `iam-jit migrate`: applies pending migrations to the configured database (safe from several replicas at once);
 * with `status`, lists applied and pending ones and sets exit code 1 when some are pending.
 */
export async function runMigrateCommand(
  { status = false }: { status?: boolean },
  io: CliIo,
  state: CliState,
  { env = process.env }: { env?: Env } = {},
): Promise<void> {
  let url: string;
  try {
    url = loadServerConfig(env).database.url;
  } catch (e) {
    reportConfigError(e, io, state);
    return;
  }
  const database = createDatabase(url);
  try {
    if (status) {
      const { applied, pending } = await migrationStatus(database.db);
      io.stdout(`database: ${redactUrl(url)}\n`);
      for (const name of applied) io.stdout(`  applied  ${name}\n`);
      for (const name of pending) io.stdout(`  pending  ${name}\n`);
      if (pending.length > 0) state.exitCode = EXIT.failed;
      return;
    }
    const done = await migrateToLatest(database.db);
    io.stdout(done.length === 0 ? 'database is up to date\n' : `applied: ${done.join(', ')}\n`);
  } catch (e) {
    io.stderr(`iam-jit migrate: ${e instanceof Error ? e.message : String(e)}\n`);
    state.exitCode = EXIT.failed;
  } finally {
    await database.close();
  }
}

/** Registers `iam-jit migrate [--status]`. */
export function registerMigrateCommand(program: Command, io: CliIo, state: CliState): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (IAM_JIT_DATABASE_URL); --status lists them instead')
    .option('--status', 'list applied and pending migrations; exit 1 when some are pending')
    .action((options: { status?: boolean }) => runMigrateCommand(options, io, state));
}
