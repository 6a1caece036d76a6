import type { InputReader } from './inputs.ts';

/** Where CLI commands write; defaults to the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Mutable outcome of a run: commands set `exitCode` (0 ok, 1 failure or threshold hit, 2 unreadable input). */
export interface CliState {
  exitCode: number;
}

/** What every command receives: output streams, the run's outcome, how to read inputs, and the working dir. */
export interface CommandContext {
  io: CliIo;
  state: CliState;
  reader: InputReader;
  /** Base directory for relative paths in SARIF output. */
  cwd: string;
  /** The name the CLI was started as (`iam-jit` or `iam-risk-score`). */
  invokedAs: string;
}

/** Exit codes of the CLI, one table for every command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;
