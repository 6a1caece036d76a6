import { type Command, Option } from 'commander';
import {
  accessLevelOf,
  DRAFT_ACCESS_TYPES,
  type DraftAccessType,
  type DraftInput,
  draftPolicy,
} from '../../policy/draft.ts';
import type { AccessLevel } from '../../policy/types.ts';
import { type CommandContext, EXIT } from '../context.ts';
import { commaList } from '../options.ts';

interface DraftOptions {
  actions?: string[];
  resources?: string[];
  service?: string;
  accessLevels?: string[];
  accessType?: DraftAccessType;
  region?: string;
  accountId?: string;
  partition?: string;
  json?: boolean;
}

/**
 * `iam-jit draft`: a least-privilege policy from actions (+ resource ARNs) or from a service and access levels.
 * Prints the policy JSON on stdout and the drafting notes on stderr (`--json` prints `{ policy, notes }`).
 * Exit 1 with one line per finding when the request cannot be drafted; 2 for an unknown access level.
 */
export function registerDraftCommand(program: Command, ctx: CommandContext): void {
  program
    .command('draft')
    .description(
      'Draft a least-privilege policy from actions and resources, or from a service and access levels',
    )
    .option('--actions <list>', 'actions or patterns, comma-separated (repeatable)', commaList)
    .option('--resources <list>', 'resource ARNs, comma-separated (repeatable)', commaList)
    .option('--service <prefix>', 'service prefix for --access-levels, e.g. s3')
    .option('--access-levels <list>', 'list, read, write, tagging, permissions-management', commaList)
    .addOption(
      new Option('--access-type <type>', 'read-only refuses write actions').choices(DRAFT_ACCESS_TYPES),
    )
    .option('--region <region>', 'region for ARN templates')
    .option('--account-id <id>', 'account id for ARN templates')
    .option('--partition <partition>', 'partition for ARN templates (default aws)')
    .option('--json', 'print { policy, notes } as JSON')
    .action((opts: DraftOptions) => {
      const levels: AccessLevel[] = [];
      for (const raw of opts.accessLevels ?? []) {
        const level = accessLevelOf(raw);
        if (level === undefined) {
          ctx.io.stderr(`iam-jit draft: unknown access level ${raw}\n`);
          ctx.state.exitCode = EXIT.badInput;
          return;
        }
        levels.push(level);
      }
      const input: DraftInput = {
        ...(opts.actions ? { actions: opts.actions } : {}),
        ...(opts.resources ? { resources: opts.resources } : {}),
        ...(opts.service ? { service: opts.service } : {}),
        ...(levels.length > 0 ? { accessLevels: levels } : {}),
        ...(opts.accessType ? { accessType: opts.accessType } : {}),
        ...(opts.region ? { region: opts.region } : {}),
        ...(opts.accountId ? { accountId: opts.accountId } : {}),
        ...(opts.partition ? { partition: opts.partition } : {}),
      };
      const result = draftPolicy(input);
      if (!result.ok) {
        for (const f of result.error) ctx.io.stderr(`iam-jit draft: ${f.code}: ${f.message}\n`);
        ctx.state.exitCode = EXIT.failed;
        return;
      }
      const { policy, notes } = result.value;
      if (opts.json) {
        ctx.io.stdout(`${JSON.stringify({ policy, notes }, null, 2)}\n`);
      } else {
        ctx.io.stdout(`${JSON.stringify(policy, null, 2)}\n`);
        for (const note of notes) ctx.io.stderr(`note: ${note}\n`);
      }
      ctx.state.exitCode = EXIT.ok;
    });
}
