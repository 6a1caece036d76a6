/**
 * `iam-jit report <grants|activity|approvals|risk-distribution>`: a compliance report from the server
 * (`GET /api/v1/reports/…`, admin) as pretty JSON or as RFC 4180 CSV on stdout (docs/reports.md, docs/cli.md).
 */
import type { Command } from 'commander';
import { createApiClient, type FetchLike } from '../client/api-client.ts';
import { isApiError } from '../client/api-error.ts';
import type { ReportKind, ReportQuery } from '../client/api-types.ts';
import { loadClientConfig } from '../config/client-config.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** Injection points for tests; defaults are the process's. */
export interface ReportCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: FetchLike;
}

const KINDS: readonly ReportKind[] = ['grants', 'activity', 'approvals', 'risk-distribution'];

/** Each filter option, its query parameter, and the reports that read it. */
const FILTERS = [
  { option: 'status', param: 'status', kinds: ['grants'] },
  { option: 'account', param: 'account_id', kinds: ['grants', 'risk-distribution'] },
  { option: 'user', param: 'user_id', kinds: ['activity'] },
  { option: 'approver', param: 'approver_id', kinds: ['approvals'] },
] as const;

interface ReportOptions {
  since?: string;
  until?: string;
  status?: string;
  account?: string;
  user?: string;
  approver?: string;
  limit?: string;
  format?: string;
}

/** The query for `kind` from the options, or the reason they do not fit it. */
export function reportQuery(
  kind: ReportKind,
  opts: ReportOptions,
): { ok: true; query: ReportQuery } | { ok: false; error: string } {
  const query: ReportQuery = {};
  if (opts.since !== undefined) query.since = opts.since;
  if (opts.until !== undefined) query.until = opts.until;
  for (const f of FILTERS) {
    const value = opts[f.option];
    if (value === undefined) continue;
    if (!(f.kinds as readonly string[]).includes(kind))
      return { ok: false, error: `--${f.option} applies to the ${f.kinds.join(' and ')} report(s) only` };
    query[f.param] = value;
  }
  if (opts.limit !== undefined) {
    if (kind === 'risk-distribution')
      return { ok: false, error: '--limit does not apply to risk-distribution' };
    const n = Number(opts.limit);
    if (!Number.isInteger(n) || n < 1) return { ok: false, error: '--limit must be a positive integer' };
    query.limit = n;
  }
  return { ok: true, query };
}

/** Registers `iam-jit report`. Exit 0 on success, 1 when the API refuses, 2 on bad arguments or no token. */
export function registerReportCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: ReportCommandOptions = {},
): void {
  program
    .command('report')
    .description(
      'print a compliance report from the server (admin): grants, activity, approvals, risk-distribution',
    )
    .argument('<kind>', KINDS.join(' | '))
    .option('--since <time>', 'from this ISO-8601 date or date-time (inclusive)')
    .option('--until <time>', 'up to this ISO-8601 date or date-time (exclusive)')
    .option('--status <status>', 'grants: only grants in this status')
    .option('--account <id>', 'grants, risk-distribution: only this 12-digit account')
    .option('--user <id>', 'activity: the user (e.g. email:alice@example.com)')
    .option('--approver <id>', 'approvals: only this approver’s decisions')
    .option('--limit <n>', 'list reports: most rows (server default 10000, max 100000)')
    .option('--format <format>', 'json (default) or csv', 'json')
    .action(async (kind: string, opts: ReportOptions) => {
      if (!(KINDS as readonly string[]).includes(kind)) {
        io.stderr(`unknown report ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}\n`);
        state.exitCode = EXIT.badInput;
        return;
      }
      const report = kind as ReportKind;
      if (opts.format !== 'json' && opts.format !== 'csv') {
        io.stderr('--format must be json or csv\n');
        state.exitCode = EXIT.badInput;
        return;
      }
      const built = reportQuery(report, opts);
      if (!built.ok) {
        io.stderr(`${built.error}\n`);
        state.exitCode = EXIT.badInput;
        return;
      }
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
      try {
        if (opts.format === 'csv') {
          io.stdout(await client.reportCsv(report, built.query));
          return;
        }
        const body =
          report === 'grants'
            ? await client.reportGrants(built.query)
            : report === 'activity'
              ? await client.reportActivity(built.query)
              : report === 'approvals'
                ? await client.reportApprovals(built.query)
                : await client.reportRiskDistribution(built.query);
        io.stdout(`${JSON.stringify(body, null, 2)}\n`);
      } catch (e) {
        io.stderr(`${isApiError(e) ? `${e.code}: ${e.message}` : String(e)}\n`);
        state.exitCode = EXIT.failed;
      }
    });
}
