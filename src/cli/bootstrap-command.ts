/** `iam-jit bootstrap print-policy --hub|--spoke`: the least-privilege IAM policies of a deployment (docs/grants.md). */
import type { Command } from 'commander';
import { DEFAULT_BOUNDARY_NAME, hubPolicy, spokePolicy } from '../aws/bootstrap-policies.ts';
import { type CliIo, type CliState, EXIT } from './context.ts';

/** Registers `iam-jit bootstrap print-policy`. Exit 2 unless exactly one of --hub / --spoke is given. */
export function registerBootstrapCommand(program: Command, io: CliIo, state: CliState): void {
  const bootstrap = program.command('bootstrap').description('set-up helpers for AWS accounts');
  bootstrap
    .command('print-policy')
    .description(
      'print the hub principal policy (--hub) or the spoke provisioning role policy (--spoke) as JSON',
    )
    .option('--hub', 'the policy of the principal iam-jit runs as')
    .option('--spoke', "the policy of each account's iam-jit-provisioner role")
    .option('--account <id>', 'the spoke account id (default * for a StackSet-wide document)')
    .option('--boundary <name>', 'the permissions boundary policy name', DEFAULT_BOUNDARY_NAME)
    .action((opts: { hub?: boolean; spoke?: boolean; account?: string; boundary: string }) => {
      if (opts.hub === opts.spoke) {
        io.stderr('print-policy: give exactly one of --hub or --spoke\n');
        state.exitCode = EXIT.badInput;
        return;
      }
      if (opts.account !== undefined && !/^\d{12}$/.test(opts.account)) {
        io.stderr('--account: expected a 12-digit AWS account id\n');
        state.exitCode = EXIT.badInput;
        return;
      }
      if (!/^[\w+=,.@-]{1,128}$/.test(opts.boundary)) {
        io.stderr('--boundary: expected an IAM policy name\n');
        state.exitCode = EXIT.badInput;
        return;
      }
      const policy = opts.hub
        ? hubPolicy()
        : spokePolicy({ account: opts.account, boundaryName: opts.boundary });
      io.stdout(`${JSON.stringify(policy, null, 2)}\n`);
    });
}
