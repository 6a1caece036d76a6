import type { Command } from 'commander';
import { parsePolicy } from '../../policy/parse.ts';
import { simulate } from '../../policy/simulate/simulate.ts';
import type { ContextValues, SimulationInput, StatementRef } from '../../policy/simulate/types.ts';
import type { Policy } from '../../policy/types.ts';
import { type CommandContext, EXIT } from '../context.ts';
import type { InputError } from '../extract/types.ts';
import { formatInputError, loadPolicies } from '../inputs.ts';
import { repeatable } from '../options.ts';

interface SimulateOptions {
  policy: string[];
  boundary?: string;
  scp?: string[];
  rcp?: string[];
  resourcePolicy?: string;
  resourceAccount?: string;
  resourcePolicyMustAllow?: boolean;
  sessionPolicy?: string[];
  action: string;
  resource: string;
  principal?: string;
  context?: string[];
  json?: boolean;
}

/**
 * Parses `key=value` context arguments; a key given more than once becomes a multivalued key.
 * Returns the offending argument when one has no `=`.
 */
export function parseContextArgs(
  args: readonly string[],
): { ok: true; value: ContextValues } | { ok: false; bad: string } {
  const out: ContextValues = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) return { ok: false, bad: arg };
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return { ok: true, value: out };
}

/**
 * `iam-jit simulate`: evaluates one request against identity policies, an optional permissions boundary,
 * SCPs, a resource policy and session policies, and prints the decision with the deciding statements.
 * Exit 0 when allowed, 1 when denied (explicitly or implicitly), 2 for unreadable policies or bad arguments.
 */
export function registerSimulateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('simulate')
    .description('Decide whether a request is allowed by the given policies, and say why')
    .requiredOption(
      '--policy <file>',
      'identity policy file (repeatable; every policy in the file counts)',
      repeatable,
    )
    .option('--boundary <file>', 'permissions boundary policy file')
    .option('--scp <file>', 'service control policy file (repeatable, one organization level)', repeatable)
    .option('--rcp <file>', 'resource control policy file (repeatable, one organization level)', repeatable)
    .option('--resource-policy <file>', 'resource-based policy file')
    .option(
      '--resource-policy-must-allow',
      'the resource policy is a role trust policy or KMS key policy, which must allow the principal itself',
    )
    .option('--resource-account <id>', 'account that owns the resource (S3 ARNs carry none)')
    .option('--session-policy <file>', 'session policy file (repeatable)', repeatable)
    .requiredOption('--action <action>', 'the action requested, e.g. s3:GetObject')
    .requiredOption('--resource <arn>', 'the resource ARN (or *)')
    .option('--principal <arn>', 'ARN of the calling principal')
    .option(
      '--context <key=value>',
      'request context key (repeatable; repeat a key for a multivalued key)',
      repeatable,
    )
    .option('--json', 'print the full simulation result as JSON')
    .action(async (opts: SimulateOptions) => {
      const context = parseContextArgs(opts.context ?? []);
      if (!context.ok) {
        ctx.io.stderr(`iam-jit simulate: --context expects key=value, got ${context.bad}\n`);
        ctx.state.exitCode = EXIT.badInput;
        return;
      }
      const errors: InputError[] = [];
      const load = async (files: readonly string[]): Promise<{ file: string; policy: Policy }[]> => {
        const out: { file: string; policy: Policy }[] = [];
        const { policies, errors: readErrors } = await loadPolicies(files, ctx.reader);
        errors.push(...readErrors);
        for (const item of policies) {
          const parsed = parsePolicy(item.document);
          if (parsed.ok) out.push({ file: item.name, policy: parsed.value.policy });
          else
            for (const issue of parsed.error)
              errors.push({
                file: item.file,
                ...item.locate(issue.path ?? ''),
                message: `${item.name}: ${issue.message}`,
              });
        }
        return out;
      };
      const identity = await load(opts.policy);
      const boundary = opts.boundary ? await load([opts.boundary]) : [];
      const scps = await load(opts.scp ?? []);
      const rcps = await load(opts.rcp ?? []);
      const resource = opts.resourcePolicy ? await load([opts.resourcePolicy]) : [];
      const session = await load(opts.sessionPolicy ?? []);
      if (errors.length > 0) {
        for (const e of errors) ctx.io.stderr(`${formatInputError(e)}\n`);
        ctx.state.exitCode = EXIT.badInput;
        return;
      }
      const input: SimulationInput = {
        identityPolicies: identity.map((p) => p.policy),
        ...(boundary[0] ? { permissionsBoundary: boundary[0].policy } : {}),
        ...(scps.length > 0 ? { scps: scps.map((p) => p.policy) } : {}),
        ...(rcps.length > 0 ? { rcps: rcps.map((p) => p.policy) } : {}),
        ...(resource[0] ? { resourcePolicy: resource[0].policy } : {}),
        ...(opts.resourcePolicyMustAllow ? { resourcePolicyMustAllow: true } : {}),
        ...(session.length > 0 ? { sessionPolicies: session.map((p) => p.policy) } : {}),
        request: {
          action: opts.action,
          resource: opts.resource,
          ...(opts.principal ? { principal: opts.principal } : {}),
          ...(opts.resourceAccount ? { resourceAccount: opts.resourceAccount } : {}),
          context: context.value,
        },
      };
      const result = simulate(input);
      if (opts.json) {
        ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        const names: Record<string, string[]> = {
          identity: identity.map((p) => p.file),
          boundary: boundary.map((p) => p.file),
          scp: scps.map((p) => p.file),
          rcp: rcps.map((p) => p.file),
          resource: resource.map((p) => p.file),
          session: session.map((p) => p.file),
        };
        const lines = [`Decision: ${result.decision}`, `Reason:   ${result.reason}`];
        if (result.deciding.length > 0) {
          lines.push('Deciding statements:');
          for (const ref of result.deciding) lines.push(`  - ${describeRef(ref, names)}`);
        }
        for (const w of result.warnings) lines.push(`Warning:  ${w}`);
        ctx.io.stdout(`${lines.join('\n')}\n`);
      }
      ctx.state.exitCode = result.decision === 'Allowed' ? EXIT.ok : EXIT.failed;
    });
}

function describeRef(ref: StatementRef, names: Record<string, string[]>): string {
  const file = names[ref.policy]?.[ref.policyIndex];
  const sid = ref.sid ? ` (Sid ${ref.sid})` : '';
  return `${ref.policy} policy ${file ?? `#${ref.policyIndex}`}, statement ${ref.statementIndex}${sid}`;
}
