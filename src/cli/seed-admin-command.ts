import type { Command } from 'commander';
import { createServices } from '../app.ts';
import { SYSTEM_ACTOR } from '../audit/audit-event.ts';
import { silentLog } from '../http/context.ts';
import { loginUrl } from '../http/routes/auth-routes.ts';
import { isBrokerError } from '../lib/errors.ts';
import { createDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';
import { loadServerConfig, reportConfigError } from './serve-command.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Options of `iam-jit seed-admin`. */
export interface SeedAdminOptions {
  /** Default: IAM_JIT_ADMIN_EMAIL. */
  email?: string;
  /** Also print a one-time sign-in link (for deployments without SMTP yet). */
  printLink?: boolean;
}

/**
 * `iam-jit seed-admin --email E`: migrates, then makes E an enabled admin (creating or promoting it). Idempotent.
 * Invalid email → exit 2.
 */
export async function runSeedAdminCommand(
  options: SeedAdminOptions,
  io: CliIo,
  state: CliState,
  { env = process.env }: { env?: Env } = {},
): Promise<void> {
  let config: ReturnType<typeof loadServerConfig>;
  try {
    config = loadServerConfig(env);
  } catch (e) {
    reportConfigError(e, io, state);
    return;
  }
  const email = (options.email ?? config.auth.adminEmail).trim().toLowerCase();
  const database = createDatabase(config.database.url);
  try {
    await migrateToLatest(database.db);
    const services = createServices(config, { database, log: silentLog });
    const { user, changed } = await services.users.ensureAdmin(`email:${email}`);
    io.stdout(`${user.id} ${changed ? 'is now an enabled admin' : 'is already an enabled admin'}\n`);
    if (options.printLink) {
      const link = await services.login.requestLink(email, { actor: SYSTEM_ACTOR });
      if (link !== undefined)
        io.stdout(`one-time sign-in link (15 minutes): ${loginUrl(config.server.baseUrl, link.token)}\n`);
    }
  } catch (e) {
    const invalid = isBrokerError(e, 'InvalidInput');
    io.stderr(`iam-jit seed-admin: ${e instanceof Error ? e.message : String(e)}\n`);
    state.exitCode = invalid ? EXIT.badInput : EXIT.failed;
  } finally {
    await database.close();
  }
}

/** Registers `iam-jit seed-admin [--email E] [--print-link]`. */
export function registerSeedAdminCommand(program: Command, io: CliIo, state: CliState): void {
  program
    .command('seed-admin')
    .description('Create or promote an enabled admin (default IAM_JIT_ADMIN_EMAIL)')
    .option('--email <email>', "the admin's email address")
    .option('--print-link', 'also print a one-time sign-in link')
    .action((options: SeedAdminOptions) => runSeedAdminCommand(options, io, state));
}
