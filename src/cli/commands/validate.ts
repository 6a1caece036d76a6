import { type Command, Option } from 'commander';
import { parsePolicy } from '../../policy/parse.ts';
import { POLICY_KINDS, type PolicyKind } from '../../policy/types.ts';
import { validatePolicy } from '../../policy/validate/validate.ts';
import { analysePolicies } from '../analyse.ts';
import { type CommandContext, EXIT } from '../context.ts';
import { OUTPUT_FORMATS, type OutputFormat, renderReports } from '../format/render.ts';
import { loadPolicies } from '../inputs.ts';
import { reportInputErrors } from './score.ts';

/**
 * `iam-jit validate <file…>`: validation findings (IAM Access Analyzer-style checks) for every policy in the
 * inputs. Exit 1 when any finding is an error, 2 when an input is unreadable, else 0.
 */
export function registerValidateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('Check IAM policies for errors, warnings and suggestions (unknown actions, bad ARNs, …)')
    .argument('<files...>', 'input files; - reads standard input')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('human'))
    .addOption(
      new Option('--kind <kind>', 'policy kind; auto detects trust and resource policies')
        .choices([...POLICY_KINDS, 'auto'])
        .default('auto'),
    )
    .action(async (files: string[], opts: { format: OutputFormat; kind: PolicyKind | 'auto' }) => {
      const { policies, errors: readErrors } = await loadPolicies(files, ctx.reader);
      const { reports, errors } = analysePolicies(
        policies,
        { parsePolicy, validatePolicy },
        opts.kind !== 'auto' ? { kind: opts.kind } : {},
      );
      const allErrors = [...readErrors, ...errors];
      reportInputErrors(ctx, allErrors, opts.format);
      if (reports.length > 0 || allErrors.length === 0 || opts.format !== 'human') {
        ctx.io.stdout(renderReports(reports, opts.format, { threshold: 11, baseDir: ctx.cwd }));
      }
      const hasErrors = reports.some((r) => r.findings.some((f) => f.severity === 'error'));
      ctx.state.exitCode = allErrors.length > 0 ? EXIT.badInput : hasErrors ? EXIT.failed : EXIT.ok;
    });
}
