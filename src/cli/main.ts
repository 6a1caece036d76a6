import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerAccountsCommand } from './accounts-command.ts';
import { registerAuditCommand } from './audit-command.ts';
import { registerBootstrapCommand } from './bootstrap-command.ts';
import { registerDraftCommand } from './commands/draft.ts';
import { registerExpandCommand } from './commands/expand.ts';
import { registerScoreCommand } from './commands/score.ts';
import { registerSimulateCommand } from './commands/simulate.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { type CliIo, type CliState, type CommandContext, EXIT } from './context.ts';
import { registerCredsCommand } from './creds-command.ts';
import { defaultInputReader, type InputReader } from './inputs.ts';
import { registerLocalAwsCommand } from './local-aws-command.ts';
import { registerMigrateCommand } from './migrate-command.ts';
import { registerReconcileCommand } from './reconcile-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerSeedAdminCommand } from './seed-admin-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerWebhooksCommand } from './webhooks-command.ts';

export type { CliIo, CliState } from './context.ts';

/** Optional wiring for tests: how inputs are read, the working directory, the name the CLI runs as. */
export interface ProgramOptions {
  reader?: InputReader;
  cwd?: string;
  invokedAs?: string;
}

/** Builds the `iam-jit` command tree. Commands write to the given streams so tests can capture them. */
export function createProgram(
  io: CliIo,
  state: CliState = { exitCode: 0 },
  { reader = defaultInputReader, cwd = process.cwd(), invokedAs = 'iam-jit' }: ProgramOptions = {},
): Command {
  const program = new Command('iam-jit')
    .description('Just-in-time, least-privilege AWS access for people and AI agents')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  const ctx: CommandContext = { io, state, reader, cwd, invokedAs };
  // Policy engine commands (docs/cli.md).
  registerScoreCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerExpandCommand(program, ctx);
  registerDraftCommand(program, ctx);
  registerSimulateCommand(program, ctx);
  // Other command groups register here, before the loop below.
  // Broker commands (docs/api.md, docs/deployment.md).
  registerServeCommand(program, io, state);
  registerMigrateCommand(program, io, state);
  registerSeedAdminCommand(program, io, state);
  registerLocalAwsCommand(program, io, state);
  registerAuditCommand(program, io, state);
  registerCredsCommand(program, io, state);
  registerBootstrapCommand(program, io, state);
  registerWebhooksCommand(program, io, state);
  registerReconcileCommand(program, io, state);
  registerReportCommand(program, io, state);
  registerAccountsCommand(program, io, state);
  // Subcommands inherit exit override and output routing from the program.
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  }
  return program;
}

const processIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** Commander outcomes that are not errors (help and version were printed as asked). */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code: the command's own code, 0 for
 * `--help`/`--version`, 2 for usage errors (unknown option, missing or invalid argument).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  options: ProgramOptions = {},
): Promise<number> {
  const state: CliState = { exitCode: 0 };
  const invokedAs = options.invokedAs ?? basename(argv[1] ?? 'iam-jit').replace(/\.[cm]?[jt]s$/, '');
  const program = createProgram(io, state, { ...options, invokedAs });
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return COMMANDER_SUCCESS.has(e.code) ? EXIT.ok : EXIT.badInput;
    }
    io.stderr(`${invokedAs}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  }
}
