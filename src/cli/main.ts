import { Command, CommanderError } from 'commander';

/** Builds the `iam-jit` command tree. Commands write to the given streams so tests can capture them. */
export function createProgram(io: CliIo, state: CliState = { exitCode: 0 }): Command {
  void state;
  const program = new Command('iam-jit')
    .description('Just-in-time, least-privilege AWS access for people and AI agents')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/** Mutable outcome of a run: commands set `exitCode` (0 ok, 1 failure or threshold hit, 2 unreadable input). */
export interface CliState {
  exitCode: number;
}

/** Where CLI commands write; defaults to the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const state: CliState = { exitCode: 0 };
  const program = createProgram(io, state);
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode;
    }
    io.stderr(`iam-jit: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
