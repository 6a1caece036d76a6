import { type Command, Option } from 'commander';
import { parsePolicy } from '../../policy/parse.ts';
import { scorePolicy } from '../../policy/risk/score.ts';
import { POLICY_KINDS, type PolicyKind } from '../../policy/types.ts';
import { validatePolicy } from '../../policy/validate/validate.ts';
import { analysePolicies } from '../analyse.ts';
import { type CommandContext, EXIT } from '../context.ts';
import type { InputError } from '../extract/types.ts';
import { escapeCommandData, escapeCommandProperty } from '../format/github.ts';
import { OUTPUT_FORMATS, type OutputFormat, renderReports } from '../format/render.ts';
import { formatInputError, loadPolicies } from '../inputs.ts';
import { numberIn } from '../options.ts';
import type { PolicyReport } from '../report.ts';

/** Version printed by `iam-risk-score --version`. */
export const CLI_VERSION = '0.1.0';

interface ScoreOptions {
  accessType: 'read-only' | 'read-write';
  durationHours: number;
  threshold: number;
  format: OutputFormat;
  kind: PolicyKind | 'auto';
  validate: boolean;
}

/**
 * `iam-jit score <file…|->` (also `iam-risk-score`): risk-scores every policy in the inputs (raw policies,
 * CloudFormation templates, Terraform plan JSON). Exit 0 when every policy scores below `--threshold`, 1 when
 * any scores at or above it, 2 when an input is unreadable (each reported as `file:line:col: message`).
 */
export function registerScoreCommand(program: Command, ctx: CommandContext): void {
  program
    .command('score')
    .description(
      'Risk-score IAM policies 1-10 (policy JSON/YAML, CloudFormation templates, Terraform plan JSON)',
    )
    .argument('<files...>', 'input files; - reads standard input')
    .addOption(
      new Option('--access-type <type>', 'what the requester intends; writes under read-only raise the score')
        .choices(['read-only', 'read-write'])
        .default('read-only'),
    )
    .option(
      '--duration-hours <n>',
      'grant duration in hours; long grants raise the score',
      numberIn(0, 8760),
      1,
    )
    .option('--threshold <n>', 'scores at or above this fail (exit 1)', numberIn(1, 11, { integer: true }), 5)
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('human'))
    .addOption(
      new Option('--kind <kind>', 'policy kind; auto detects trust and resource policies')
        .choices([...POLICY_KINDS, 'auto'])
        .default('auto'),
    )
    .option('--no-validate', 'skip the validation findings')
    .option('--description <text>', 'one-line context for the request (informational)')
    .option('--offline', 'accepted for compatibility: scoring is always local')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .action(async (files: string[], opts: ScoreOptions) => {
      const { policies, errors: readErrors } = await loadPolicies(files, ctx.reader);
      const { reports, errors } = analysePolicies(
        policies,
        { parsePolicy, scorePolicy, ...(opts.validate ? { validatePolicy } : {}) },
        {
          ...(opts.kind !== 'auto' ? { kind: opts.kind } : {}),
          context: { accessType: opts.accessType, durationHours: opts.durationHours },
        },
      );
      const allErrors = [...readErrors, ...errors];
      reportInputErrors(ctx, allErrors, opts.format);
      if (reports.length > 0 || allErrors.length === 0 || opts.format !== 'human') {
        ctx.io.stdout(
          renderReports(reports, opts.format, {
            threshold: opts.threshold,
            baseDir: ctx.cwd,
            single: ctx.invokedAs === 'iam-risk-score' && files.length === 1 && allErrors.length === 0,
          }),
        );
      }
      ctx.state.exitCode = scoreExitCode(reports, allErrors, opts.threshold);
    });
}

/** 2 when any input was unreadable, else 1 when any policy scores at or above the threshold, else 0. */
export function scoreExitCode(
  reports: readonly PolicyReport[],
  errors: readonly InputError[],
  threshold: number,
): number {
  if (errors.length > 0) return EXIT.badInput;
  return reports.some((r) => (r.review?.score ?? 0) >= threshold) ? EXIT.failed : EXIT.ok;
}

/** Prints input errors on stderr; with `--format github` also as `::error` annotations on stdout. */
export function reportInputErrors(
  ctx: CommandContext,
  errors: readonly InputError[],
  format: OutputFormat,
): void {
  for (const e of errors) {
    ctx.io.stderr(`${formatInputError(e)}\n`);
    if (format === 'github') {
      ctx.io.stdout(
        `::error file=${escapeCommandProperty(e.file)},line=${e.line},col=${e.column},title=Unreadable IAM policy input::${escapeCommandData(e.message)}\n`,
      );
    }
  }
}
