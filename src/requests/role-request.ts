/**
 * The established `RoleRequest` document (`apiVersion: iam-jit.dev/v1alpha1`), as JSON or YAML, mapped to a
 * submission so existing request files and GitOps repositories keep working. Unknown fields are refused with
 * their path. Pure.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BrokerError } from '../lib/errors.ts';
import type { PolicySpec } from './policy-review.ts';
import { ACCESS_TYPES } from './request.ts';
import type { SubmitInput } from './request-input.ts';

export const ROLE_REQUEST_API_VERSION = 'iam-jit.dev/v1alpha1';

const taskIntent = z.strictObject({
  actions: z.array(z.string()).optional(),
  service: z.string().optional(),
  access_levels: z.array(z.string()).optional(),
});

const roleRequestSchema = z.strictObject({
  apiVersion: z.literal(ROLE_REQUEST_API_VERSION, { error: `expected ${ROLE_REQUEST_API_VERSION}` }),
  kind: z.literal('RoleRequest', { error: 'expected RoleRequest' }),
  metadata: z
    .strictObject({
      name: z.string().optional(),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  spec: z.strictObject({
    accounts: z.array(z.string({ error: 'expected a quoted 12-digit account id' })).min(1),
    duration: z.union([z.number(), z.string()]).optional(),
    policy: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    task_intent: taskIntent.optional(),
    access_type: z.enum(ACCESS_TYPES).optional(),
    description: z.string().optional(),
    resource_constraints: z.array(z.string()).optional(),
    ticket: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    regions: z.array(z.string()).optional(),
  }),
});

/** A RoleRequest document as parsed (before mapping). */
export type RoleRequestDocument = z.output<typeof roleRequestSchema>;

/** True when a parsed body looks like a RoleRequest document (has `kind: RoleRequest` or an `apiVersion`). */
export function isRoleRequestDocument(body: unknown): boolean {
  return typeof body === 'object' && body !== null && ('apiVersion' in body || 'kind' in body);
}

/** Dotted path of a zod issue: `spec.accounts[0]`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`),
    '',
  );
}

function invalid(field: string, message: string): BrokerError {
  return new BrokerError('InvalidInput', `${field === '' ? 'document' : field}: ${message}`, {
    details: { field },
  });
}

/** `4h`, `90m`, `1h30m`, `2d` or a number of hours → hours. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+)m)?\s*$/.exec(value);
  if (!m || value.trim() === '' || (!m[1] && !m[2] && !m[3])) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
    throw invalid('spec.duration', 'expected a duration such as 4h, 90m or 1h30m');
  }
  return Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
}

function specOf(doc: RoleRequestDocument): PolicySpec {
  const { policy, task_intent: intent, resource_constraints: resources } = doc.spec;
  if ((policy === undefined) === (intent === undefined))
    throw invalid('spec', 'give exactly one of policy and task_intent');
  if (policy !== undefined) {
    if (resources !== undefined) throw invalid('spec.resource_constraints', 'only applies with task_intent');
    return { type: 'policy', policy };
  }
  if (intent?.actions !== undefined) {
    if (intent.service !== undefined || intent.access_levels !== undefined)
      throw invalid('spec.task_intent', 'give actions, or service with access_levels, not both');
    return { type: 'actions', actions: intent.actions, resources };
  }
  if (intent?.service === undefined || intent.access_levels === undefined)
    throw invalid('spec.task_intent', 'give actions, or service with access_levels');
  return { type: 'access_levels', service: intent.service, accessLevels: intent.access_levels };
}

/**
 * Parses a RoleRequest from YAML/JSON text or an already parsed value and maps it to a submission
 * (`description` → justification, `resource_constraints` → resources of the drafted policy). Throws BrokerError
 * `InvalidInput` with `details.field` the path of the first problem (`spec.foo` for an unknown field).
 */
export function parseRoleRequest(input: string | unknown): SubmitInput {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = parseYaml(input);
    } catch (e) {
      throw invalid('', `not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const parsed = roleRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const field = pathOf([...issue.path, issue.keys[0] ?? '']);
      throw invalid(field, 'unknown field');
    }
    throw invalid(pathOf(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const doc = parsed.data;
  return {
    accountIds: doc.spec.accounts,
    spec: specOf(doc),
    accessType: doc.spec.access_type,
    justification: doc.spec.description,
    durationHours: doc.spec.duration === undefined ? undefined : parseDuration(doc.spec.duration),
    ticket: doc.spec.ticket,
    tags: doc.spec.tags,
    ...(doc.spec.regions === undefined ? {} : { regions: doc.spec.regions }),
  };
}
