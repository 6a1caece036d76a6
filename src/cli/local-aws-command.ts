import { once } from 'node:events';
import { type Command, InvalidArgumentError } from 'commander';
import { createState, loadStateFile, saveStateFile } from '../local-aws/seed.ts';
import { type LocalAws, startLocalAws } from '../local-aws/server.ts';
import type { CliIo, CliState } from './context.ts';

/** Options of `iam-jit local-aws`. */
export interface LocalAwsCommandOptions {
  port: number;
  host: string;
  /** Seed / saved-state file (JSON or YAML). */
  state?: string;
  /** Save state on exit: `true` → back to `state`, a string → that path. */
  saveOnExit?: string | boolean;
  assignmentDelay: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

function parseMillis(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected milliseconds (a non-negative integer)');
  return n;
}

/**
 * Runs the emulator until `until` resolves, then saves state if asked and stops. Writes the endpoint and the
 * accounts' credentials to stdout. Throws when the state file cannot be read or the port cannot be bound.
 */
export async function runLocalAws(
  options: LocalAwsCommandOptions,
  io: CliIo,
  until: (aws: LocalAws) => Promise<unknown>,
): Promise<void> {
  const state = options.state ? await loadStateFile(options.state) : createState();
  const aws = await startLocalAws({
    state,
    port: options.port,
    host: options.host,
    assignmentDelayMs: options.assignmentDelay,
  });
  io.stdout(`local-aws listening on ${aws.url} (IAM, STS, SSO Admin, Identity Store)\n`);
  for (const account of Object.values(state.accounts)) {
    io.stdout(
      `  account ${account.id}: root key ${account.rootAccessKeyId} / ${account.rootSecretAccessKey}\n`,
    );
    for (const u of account.users) io.stdout(`    user ${u.name}: ${u.accessKeyId} / ${u.secretAccessKey}\n`);
  }
  io.stdout(`  admin endpoint: ${aws.url}/_local-aws/health\n`);
  try {
    await until(aws);
  } finally {
    await aws.close();
    const target = options.saveOnExit === true ? options.state : options.saveOnExit || undefined;
    if (options.saveOnExit && !target) io.stderr('local-aws: --save-on-exit needs a path or --state\n');
    if (target) {
      await saveStateFile(target, aws.state);
      io.stdout(`local-aws: state saved to ${target}\n`);
    }
  }
}

/** Registers `iam-jit local-aws`: the built-in AWS emulator (docs/local-aws.md), stopped by SIGINT/SIGTERM. */
export function registerLocalAwsCommand(program: Command, io: CliIo, state: CliState): void {
  program
    .command('local-aws')
    .description(
      'Run the built-in AWS emulator (IAM, STS, SSO Admin, Identity Store) for local use and tests',
    )
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 4566)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--state <file>', 'seed or saved state (JSON or YAML)')
    .option('--save-on-exit [file]', 'save state on exit (to --state when no file is given)')
    .option(
      '--assignment-delay <ms>',
      'milliseconds before Identity Center assignments settle',
      parseMillis,
      0,
    )
    .action(async (options: LocalAwsCommandOptions) => {
      await runLocalAws(options, io, () => Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]));
      state.exitCode = 0;
    });
}
