import { z } from 'zod';
import { BrokerError } from '../lib/errors.ts';
import { type AccountInput, buildAccount, PROVISIONING_MODES } from './account.ts';

// The `accounts:` section of iam-jit.yaml, snake_case like the API. Unknown keys are errors (a typo must not
// silently drop an approver list). Account ids may be written as numbers by YAML authors; leading zeros then are
// lost, so numbers are refused with a hint to quote them.
const accountEntry = z.strictObject({
  id: z.string({ error: 'expected a quoted 12-digit account id' }),
  name: z.string(),
  environment: z.string(),
  provisioning_mode: z.enum(PROVISIONING_MODES).optional(),
  spoke_role_arn: z.string().nullable().optional(),
  external_id: z.string().nullable().optional(),
  approvers: z.array(z.string()).optional(),
  required_approvals: z.number().int().optional(),
  max_duration_hours: z.number().nullable().optional(),
  allowed_services: z.array(z.string()).nullable().optional(),
  permission_set_arn: z.string().nullable().optional(),
});

const section = z.array(accountEntry, { error: 'expected a list of accounts' });

/** The YAML path of a zod issue: `accounts[2].approvers[0]`. */
function yamlPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`),
    'accounts',
  );
}

/**
 * Parses the `accounts:` section (undefined/null = no accounts) into account inputs, each fully validated.
 * Throws BrokerError `InvalidInput` with `details.field` set to the YAML path of the first problem, and on
 * duplicate ids.
 */
export function parseAccountsSection(raw: unknown): AccountInput[] {
  if (raw === undefined || raw === null) return [];
  const parsed = section.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [...(issue?.path ?? [])];
    if (issue?.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
    const field = yamlPath(path);
    throw new BrokerError('InvalidInput', `${field}: ${issue?.message ?? 'invalid'}`, { details: { field } });
  }
  const seen = new Set<string>();
  return parsed.data.map((e, i) => {
    if (seen.has(e.id))
      throw new BrokerError('InvalidInput', `accounts[${i}].id: duplicate account ${e.id}`, {
        details: { field: `accounts[${i}].id` },
      });
    seen.add(e.id);
    const input: AccountInput = {
      id: e.id,
      name: e.name,
      environment: e.environment,
      provisioningMode: e.provisioning_mode,
      spokeRoleArn: e.spoke_role_arn,
      externalId: e.external_id,
      approvers: e.approvers,
      requiredApprovals: e.required_approvals,
      maxDurationHours: e.max_duration_hours,
      allowedServices: e.allowed_services,
      permissionSetArn: e.permission_set_arn,
    };
    try {
      buildAccount(input, new Date(0));
    } catch (error) {
      if (error instanceof BrokerError) {
        const inner = (error.details as { field?: string } | undefined)?.field ?? '';
        const field = `accounts[${i}].${inner}`;
        throw new BrokerError('InvalidInput', `accounts[${i}].${error.message}`, { details: { field } });
      }
      throw error;
    }
    return input;
  });
}
