import type { Command } from 'commander';
import { expandActionPatterns, unknownActionPatterns } from '../../policy/expand.ts';
import { type CommandContext, EXIT } from '../context.ts';

/**
 * `iam-jit expand <pattern…> [--json]`: the concrete IAM actions the patterns match, with access levels.
 * Exit 1 (and a line on stderr per pattern) when a pattern matches no known action.
 */
export function registerExpandCommand(program: Command, ctx: CommandContext): void {
  program
    .command('expand')
    .description(
      'List the IAM actions that action patterns (s3:Get*, ec2:Describe*, *) match, with access levels',
    )
    .argument('<patterns...>', 'action patterns, e.g. s3:Get*Tagging')
    .option('--json', 'print a JSON array of { action, service, accessLevel }')
    .action((patterns: string[], opts: { json?: boolean }) => {
      const actions = expandActionPatterns(patterns);
      if (opts.json) {
        ctx.io.stdout(`${JSON.stringify(actions, null, 2)}\n`);
      } else {
        const width = actions.reduce((w, a) => Math.max(w, a.action.length), 0);
        ctx.io.stdout(actions.map((a) => `${a.action.padEnd(width)}  ${a.accessLevel}\n`).join(''));
      }
      const unknown = unknownActionPatterns(patterns);
      for (const p of unknown) ctx.io.stderr(`iam-jit expand: no known action matches ${p}\n`);
      ctx.state.exitCode = unknown.length > 0 ? EXIT.failed : EXIT.ok;
    });
}
