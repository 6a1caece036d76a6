/**
 * `iam-jit reconcile [--dry-run] [--json]`: one reconciler pass through the server (`POST /api/v1/reconcile`,
 * admin): orphan roles and assignments removed, drift repaired, revoked or reported per the server's
 * `IAM_JIT_RECONCILE_DRIFT_ACTION`; `--dry-run` only reports. Prints one line per finding (docs/cli.md).
 */
import type { Command } from 'commander';
import { createApiClient, type FetchLike } from '../client/api-client.ts';
import { isApiError } from '../client/api-error.ts';
import type { ReconcileResult } from '../client/api-types.ts';
import { loadClientConfig } from '../config/client-config.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** Injection points for tests; defaults are the process's. */
export interface ReconcileCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: FetchLike;
}

/** The findings as text: a summary line, then one line per finding. */
export function formatReconcile(result: ReconcileResult): string {
  const head = `${result.dry_run ? 'dry run: ' : ''}${result.findings.length} finding(s)\n`;
  return (
    head +
    result.findings
      .map(
        (f) => `${f.account_id}  ${f.kind.padEnd(18)}  ${f.role_name}  ${f.grant_id ?? '-'}  ${f.outcome}\n`,
      )
      .join('')
  );
}

/** Registers `iam-jit reconcile`. Exit 1 when the API refuses or a finding could not be handled, 0 otherwise. */
export function registerReconcileCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: ReconcileCommandOptions = {},
): void {
  program
    .command('reconcile')
    .description(
      'run the reconciler now through the server (admin): remove orphan roles/assignments, handle drift, print findings',
    )
    .option('--dry-run', 'report what would be done without changing AWS or grants')
    .option('--json', 'print the API answer as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const config = loadClientConfig(options.env ?? process.env);
      if (config.apiToken === undefined) {
        io.stderr('IAM_JIT_API_TOKEN is not set\n');
        state.exitCode = EXIT.badInput;
        return;
      }
      const client = createApiClient({
        baseUrl: config.baseUrl,
        token: config.apiToken,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      let result: ReconcileResult;
      try {
        result = await client.reconcile({ dryRun: opts.dryRun === true });
      } catch (e) {
        io.stderr(`${isApiError(e) ? `${e.code}: ${e.message}` : String(e)}\n`);
        state.exitCode = EXIT.failed;
        return;
      }
      io.stdout(opts.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatReconcile(result));
      const handled = /^(revoked|repaired|revoking|reported|would (revoke|repair|report))$/;
      if (result.findings.some((f) => !handled.test(f.outcome))) state.exitCode = EXIT.failed;
    });
}
