import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Config, ConfigError, loadConfig } from './load-config.ts';

/** The default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = './iam-jit.yaml';

/**
 * Finds and reads the YAML config file: `IAM_JIT_CONFIG` when set (then it must exist), else `./iam-jit.yaml`
 * when present. Returns undefined when there is none; throws ConfigError when a named file cannot be read.
 */
export function readConfigFile(
  env: Readonly<Record<string, string | undefined>>,
  { cwd = process.cwd() }: { cwd?: string } = {},
): { path: string; text: string } | undefined {
  const named = env.IAM_JIT_CONFIG?.trim();
  const path = resolve(cwd, named || DEFAULT_CONFIG_FILE);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (e) {
    if (!named && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError([
      { variable: 'IAM_JIT_CONFIG', source: 'env', message: `cannot read ${path}: ${(e as Error).message}` },
    ]);
  }
}

/** `loadConfig` over the process environment and its config file: for the process entry and cli/ only. */
export function loadConfigFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: { cwd?: string } = {},
): Config {
  const file = readConfigFile(env, options);
  return loadConfig(env, file === undefined ? {} : { yamlText: file.text });
}
