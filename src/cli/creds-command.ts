/**
 * `iam-jit creds <grant-id>`: credential_process JSON for a grant (cached until 5 minutes before expiry in 0600
 * files, written atomically), `--format env` shell-quoted exports, and `--write-profile` / `--remove-profile`
 * editing `~/.aws/config` without touching other profiles or comments (docs/grants.md).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadClientConfig } from '../config/client-config.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** credential_process JSON v1 (AWS CLI "Sourcing credentials with an external process"). */
export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

/** Injection points for tests; defaults are the process's. */
export interface CredsCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  now?: () => Date;
  fetch?: typeof fetch;
}

/** Cached credentials are used until this long before they expire. */
export const CACHE_MARGIN_MS = 5 * 60_000;
const GRANT_ID = /^grt_[0-9a-z]{10,40}$/;

/** Single-quotes `value` for POSIX shells (`'` becomes `'\''`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines for `eval "$(iam-jit creds … --format env)"`. */
export function envExports(c: ProcessCredentials): string {
  return [
    ['AWS_ACCESS_KEY_ID', c.AccessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.SecretAccessKey],
    ['AWS_SESSION_TOKEN', c.SessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', c.Expiration],
  ]
    .map(([k, v]) => `export ${k}=${shellQuote(v ?? '')}\n`)
    .join('');
}

const isHeader = (line: string): boolean => /^\s*\[[^\]]*\]\s*(?:[#;].*)?$/.test(line);
const headerName = (line: string): string =>
  line
    .trim()
    .replace(/\s*[#;].*$/, '')
    .slice(1, -1)
    .trim();

/**
 * `text` (an AWS config file) without the `[profile NAME]` section (its header up to the next section header).
 * Every other line, comments included, is kept as it was.
 */
export function removeProfile(text: string, name: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (isHeader(line)) skipping = headerName(line) === `profile ${name}`;
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}

/** `text` with `[profile NAME]` set to use `iam-jit creds <grantId>` as its credential_process. */
export function writeProfile(text: string, name: string, grantId: string): string {
  const kept = removeProfile(text, name).replace(/\n*$/, '');
  const section = `[profile ${name}]\ncredential_process = iam-jit creds ${grantId}\n`;
  return kept === '' ? section : `${kept}\n\n${section}`;
}

/** Writes `text` to `path` atomically (temp file in the same directory, then rename) with `mode`. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function isCredentials(v: unknown): v is ProcessCredentials {
  const c = v as Partial<ProcessCredentials> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    c.Version === 1 &&
    typeof c.AccessKeyId === 'string' &&
    typeof c.SecretAccessKey === 'string' &&
    typeof c.SessionToken === 'string' &&
    typeof c.Expiration === 'string'
  );
}

/** Credentials for `grantId`: from the cache while > 5 minutes remain, else from the API (then cached, 0600). */
export async function loadCredentials(
  grantId: string,
  { env = process.env, home = homedir(), now = () => new Date(), fetch: get = fetch }: CredsCommandOptions,
): Promise<ProcessCredentials> {
  const cacheDir = env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'iam-jit') : join(home, '.cache', 'iam-jit');
  const cacheFile = join(cacheDir, 'creds', `${grantId}.json`);
  const cached = await readText(cacheFile);
  if (cached !== undefined) {
    try {
      const c: unknown = JSON.parse(cached);
      if (isCredentials(c) && new Date(c.Expiration).getTime() - now().getTime() > CACHE_MARGIN_MS) return c;
    } catch {
      // A corrupt cache file is simply replaced.
    }
  }
  const config = loadClientConfig(env);
  if (config.apiToken === undefined) throw new Error('IAM_JIT_API_TOKEN is not set');
  const res = await get(`${config.baseUrl.replace(/\/$/, '')}/api/v1/grants/${grantId}/credentials`, {
    headers: { authorization: `Bearer ${config.apiToken}`, accept: 'application/json' },
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new Error(`${error?.code ?? `HTTP ${res.status}`}: ${error?.message ?? 'request failed'}`);
  }
  if (!isCredentials(body)) throw new Error('the server answered without credential_process JSON');
  await writeAtomic(cacheFile, `${JSON.stringify(body)}\n`, 0o600);
  return body;
}

/** The AWS config file: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
function awsConfigPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config');
}

/** Registers `iam-jit creds`. Exit 1 when the API refuses or is unreachable, 2 on bad arguments. */
export function registerCredsCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: CredsCommandOptions = {},
): void {
  program
    .command('creds')
    .description('print credential_process JSON for a grant (or env exports; or write/remove an AWS profile)')
    .argument('[grant-id]', 'the grant (grt_…)')
    .option('--format <format>', 'json (credential_process) or env (shell export lines)', 'json')
    .option('--write-profile <name>', 'add [profile NAME] with credential_process = iam-jit creds <grant-id>')
    .option('--remove-profile <name>', 'remove [profile NAME] from the AWS config file')
    .action(
      async (
        grantId: string | undefined,
        opts: { format: string; writeProfile?: string; removeProfile?: string },
      ) => {
        const env = options.env ?? process.env;
        const home = options.home ?? homedir();
        const profile = opts.writeProfile ?? opts.removeProfile;
        if (profile !== undefined && !/^[\w.@+-]{1,64}$/.test(profile)) {
          io.stderr('profile name: 1-64 letters, digits and _.@+-\n');
          state.exitCode = EXIT.badInput;
          return;
        }
        if (opts.removeProfile !== undefined) {
          const path = awsConfigPath(env, home);
          const text = await readText(path);
          if (text !== undefined) await writeAtomic(path, removeProfile(text, opts.removeProfile), 0o600);
          io.stdout(`removed [profile ${opts.removeProfile}] from ${path}\n`);
          return;
        }
        if (grantId === undefined || !GRANT_ID.test(grantId)) {
          io.stderr('expected a grant id (grt_…)\n');
          state.exitCode = EXIT.badInput;
          return;
        }
        if (opts.writeProfile !== undefined) {
          const path = awsConfigPath(env, home);
          await writeAtomic(
            path,
            writeProfile((await readText(path)) ?? '', opts.writeProfile, grantId),
            0o600,
          );
          io.stdout(
            `wrote [profile ${opts.writeProfile}] to ${path}; use: aws --profile ${opts.writeProfile} …\n`,
          );
          return;
        }
        if (opts.format !== 'json' && opts.format !== 'env') {
          io.stderr('--format: expected json or env\n');
          state.exitCode = EXIT.badInput;
          return;
        }
        try {
          const creds = await loadCredentials(grantId, options);
          io.stdout(opts.format === 'env' ? envExports(creds) : `${JSON.stringify(creds)}\n`);
        } catch (e) {
          io.stderr(`iam-jit creds: ${e instanceof Error ? e.message : String(e)}\n`);
          state.exitCode = EXIT.failed;
        }
      },
    );
}
