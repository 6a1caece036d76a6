import { type Command, InvalidArgumentError } from 'commander';
import { parse as parseYaml } from 'yaml';
import { readConfigFile } from '../config/config-file.ts';
import { type Config, ConfigError, loadConfig } from '../config/load-config.ts';
import { type RunningServer, runServer } from '../server.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loads the server config from the environment and `iam-jit.yaml`. With `devByDefault` (what `npm start` passes)
 * dev mode is on unless `IAM_JIT_DEV_MODE` or the file's `dev_mode` says otherwise, and the built-in AWS emulator
 * is on unless `IAM_JIT_LOCAL_AWS` or a vending principal is configured, so a bare checkout starts with zero setup
 * while any deployment keeps its choices. `overrides` (command-line flags) win.
 */
export function loadServerConfig(
  env: Env,
  {
    devByDefault = false,
    overrides = {},
    cwd,
  }: { devByDefault?: boolean; overrides?: Env; cwd?: string } = {},
): Config {
  const file = readConfigFile(env, cwd === undefined ? {} : { cwd });
  const merged: Record<string, string | undefined> = { ...env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  if (devByDefault) {
    let doc: unknown;
    try {
      doc = file === undefined ? undefined : parseYaml(file.text);
    } catch {
      // loadConfig reports the unreadable YAML itself
    }
    const isSet = (name: string): boolean =>
      (env[name] ?? '').trim() !== '' ||
      (typeof doc === 'object' && doc !== null && name.slice('IAM_JIT_'.length).toLowerCase() in doc);
    if (!isSet('IAM_JIT_DEV_MODE')) merged.IAM_JIT_DEV_MODE = 'true';
    // Zero setup also means somewhere to provision into: the built-in emulator, unless real AWS is configured.
    if (!isSet('IAM_JIT_LOCAL_AWS') && !isSet('IAM_JIT_VENDING_PRINCIPAL_ARN'))
      merged.IAM_JIT_LOCAL_AWS = 'true';
  }
  return loadConfig(merged, file === undefined ? {} : { yamlText: file.text });
}

/** Prints a ConfigError (every problem) and sets the usage exit code; rethrows anything else. */
export function reportConfigError(e: unknown, io: CliIo, state: CliState): void {
  if (!(e instanceof ConfigError)) throw e;
  io.stderr(`${e.message}\n`);
  state.exitCode = EXIT.badInput;
}

function parsePort(value: string): string {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0-65535');
  return String(n);
}

/** Options of `iam-jit serve`. */
export interface ServeOptions {
  host?: string;
  port?: string;
  devByDefault?: boolean;
}

/**
 * `iam-jit serve`: migrate, then serve the API until SIGINT/SIGTERM. `until` lets tests stop it. Config problems
 * are printed with the variable names and exit 2; start-up failures (port taken, migration) exit 1.
 */
export async function runServeCommand(
  options: ServeOptions,
  io: CliIo,
  state: CliState,
  { env = process.env, until }: { env?: Env; until?: (server: RunningServer) => Promise<unknown> } = {},
): Promise<void> {
  let config: Config;
  try {
    config = loadServerConfig(env, {
      devByDefault: options.devByDefault === true,
      overrides: { IAM_JIT_HOST: options.host, IAM_JIT_PORT: options.port },
    });
  } catch (e) {
    reportConfigError(e, io, state);
    return;
  }
  try {
    await runServer(config, { io, ...(until ? { until } : {}) });
  } catch (e) {
    io.stderr(`iam-jit serve: ${e instanceof Error ? e.message : String(e)}\n`);
    state.exitCode = EXIT.failed;
  }
}

/** Registers `iam-jit serve [--host H] [--port P] [--dev-by-default]`. */
export function registerServeCommand(program: Command, io: CliIo, state: CliState): void {
  program
    .command('serve')
    .description('Migrate the database and run the iam-jit server (API, login) until SIGINT/SIGTERM')
    .option('--host <host>', 'interface to listen on (overrides IAM_JIT_HOST; default 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (overrides IAM_JIT_PORT; default 8080)', parsePort)
    .option(
      '--dev-by-default',
      'turn dev mode on unless IAM_JIT_DEV_MODE or dev_mode in iam-jit.yaml is set (what `npm start` uses)',
    )
    .action((options: ServeOptions) => runServeCommand(options, io, state));
}
