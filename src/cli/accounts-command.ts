/**
 * `iam-jit accounts list|create|update`: manage destination accounts over the API (admin for writes; see
 * docs/cli.md#accounts). Fields follow the API (snake_case there, `--kebab-case` here); `update` changes only the
 * options given, and `none` clears a nullable one (e.g. `--permission-set-arn none`: per-grant permission sets).
 */
import type { Command } from 'commander';
import type { ApiClient } from '../client/api-client.ts';
import type { Account, CreateAccountInput } from '../client/api-types.ts';
import { type ApiCommandOptions, withApiClient } from './api-command.ts';
import type { CliIo, CliState } from './context.ts';

/** Injection points for tests; defaults are the process's. */
export type AccountsCommandOptions = ApiCommandOptions;

/** The options `create` and `update` share, as commander hands them over. */
interface FieldOptions {
  name?: string;
  environment?: string;
  provisioningMode?: string;
  spokeRoleArn?: string;
  externalId?: string;
  approvers?: string;
  requiredApprovals?: string;
  maxDurationHours?: string;
  allowedServices?: string;
  permissionSetArn?: string;
  json?: boolean;
}

type Fields = Partial<Omit<CreateAccountInput, 'id'>>;

const list = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
const nullable = (text: string) => (text === 'none' ? null : text);
/** A number, or NaN (the server then names the field in its 400 answer). */
const number = (text: string) => (/^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);

/** The API body of the options given (absent options are left out). */
function fieldsOf(o: FieldOptions): Fields {
  const out: Fields = {};
  if (o.name !== undefined) out.name = o.name;
  if (o.environment !== undefined) out.environment = o.environment;
  if (o.provisioningMode !== undefined)
    out.provisioning_mode = o.provisioningMode as NonNullable<Fields['provisioning_mode']>;
  if (o.spokeRoleArn !== undefined) out.spoke_role_arn = nullable(o.spokeRoleArn);
  if (o.externalId !== undefined) out.external_id = nullable(o.externalId);
  if (o.approvers !== undefined) out.approvers = list(o.approvers);
  if (o.requiredApprovals !== undefined) out.required_approvals = number(o.requiredApprovals);
  if (o.maxDurationHours !== undefined)
    out.max_duration_hours = o.maxDurationHours === 'none' ? null : number(o.maxDurationHours);
  if (o.allowedServices !== undefined)
    out.allowed_services = o.allowedServices === 'none' ? null : list(o.allowedServices);
  if (o.permissionSetArn !== undefined) out.permission_set_arn = nullable(o.permissionSetArn);
  return out;
}

function line(a: Account): string {
  const ps = a.provisioning_mode === 'identity_center' ? `  ${a.permission_set_arn ?? 'per-grant'}` : '';
  return `${a.id}  ${a.environment}  ${a.provisioning_mode}${ps}  ${a.name}\n`;
}

function fieldOptions(cmd: Command): Command {
  return cmd
    .option('--provisioning-mode <mode>', 'iam_role (default) or identity_center')
    .option('--spoke-role-arn <arn>', 'the role the hub assumes in the account (none: clear)')
    .option('--external-id <id>', 'the external id the spoke role requires (none: clear)')
    .option('--approvers <ids>', 'comma-separated user ids (email:… or iam:arn:…)')
    .option('--required-approvals <n>', 'distinct approvals needed, 1-10')
    .option('--max-duration-hours <h>', 'longest grant in hours (none: the deployment maximum)')
    .option('--allowed-services <prefixes>', 'comma-separated service prefixes (none: any)')
    .option(
      '--permission-set-arn <arn>',
      'identity_center only: an existing permission set every grant is assigned (none: a per-grant permission set)',
    )
    .option('--json', 'print the API answer as JSON');
}

/** Registers `iam-jit accounts`. Exit 1 when the API refuses or is unreachable, 2 on bad configuration. */
export function registerAccountsCommand(
  program: Command,
  io: CliIo,
  state: CliState,
  options: AccountsCommandOptions = {},
): void {
  const group = program.command('accounts').description('manage destination AWS accounts (writes: admin)');

  const run = (work: (client: ApiClient) => Promise<void>) =>
    withApiClient('iam-jit accounts', io, state, options, work);

  const print = (a: Account, json: boolean | undefined) =>
    io.stdout(json ? `${JSON.stringify(a, null, 2)}\n` : line(a));

  group
    .command('list')
    .description('list accounts: id, environment, mode (and permission set), name')
    .option('--json', 'print the API answer as JSON')
    .action((opts: { json?: boolean }) =>
      run(async (client) => {
        const accounts: Account[] = [];
        let after: string | undefined;
        // Bounded: at most 100 pages of 500.
        for (let page = 0; page < 100; page++) {
          const r = await client.listAccounts({ limit: 500, ...(after === undefined ? {} : { after }) });
          accounts.push(...r.accounts);
          if (r.next_cursor === null) break;
          after = r.next_cursor;
        }
        if (opts.json) io.stdout(`${JSON.stringify({ accounts }, null, 2)}\n`);
        else if (accounts.length === 0) io.stdout('no accounts\n');
        else for (const a of accounts) io.stdout(line(a));
      }),
    );

  fieldOptions(
    group
      .command('create')
      .description('register an account')
      .argument('<account-id>', 'the 12-digit AWS account id')
      .requiredOption('--name <name>', 'a human name')
      .requiredOption('--environment <env>', 'prod, nonprod, staging, …'),
  ).action((id: string, opts: FieldOptions) =>
    run(async (client) => {
      const { name = '', environment = '', ...rest } = fieldsOf(opts);
      print(await client.createAccount({ id, name, environment, ...rest }), opts.json);
    }),
  );

  fieldOptions(
    group
      .command('update')
      .description('change the fields given; none clears a nullable field')
      .argument('<account-id>', 'the 12-digit AWS account id')
      .option('--name <name>', 'a human name')
      .option('--environment <env>', 'prod, nonprod, staging, …'),
  ).action((id: string, opts: FieldOptions) =>
    run(async (client) => {
      const fields = fieldsOf(opts);
      if (Object.keys(fields).length === 0) throw new Error('nothing to change: give at least one option');
      print(await client.updateAccount(id, fields), opts.json);
    }),
  );
}
