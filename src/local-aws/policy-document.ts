/**
 * IAM's acceptance checks for policy documents: JSON grammar (via the policy engine's parser), the elements each
 * policy type requires or forbids, and the size quotas. Messages follow what IAM returns for the same mistake.
 * Sources: IAM User Guide, "IAM JSON policy element reference", "IAM and AWS STS quotas" (character limits
 * exclude white space).
 */
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/types.ts';
import { limitExceeded, malformedPolicy } from './errors.ts';

/** What the document is used as; changes which elements are required. */
export type DocumentUse = 'identity' | 'trust' | 'session';

/** Quotas in characters, white space excluded. */
export const POLICY_SIZE_LIMITS = {
  roleInlineAggregate: 10240,
  managedPolicy: 6144,
  trustPolicy: 2048,
  sessionPolicy: 2048,
} as const;

/** Counts characters the way IAM's size quotas do: white space is not counted. */
export function policySize(text: string): number {
  return text.replace(/\s+/g, '').length;
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const ACTION_PATTERN = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?_-]*)$/;

const TOP_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/** IAM rejects elements outside the policy grammar (element names are case-sensitive). */
function hasUnknownElement(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return true;
  if (Object.keys(raw).some((k) => !TOP_ELEMENTS.has(k))) return true;
  const st = (raw as { Statement?: unknown }).Statement;
  const list = Array.isArray(st) ? st : [st];
  return list.some(
    (x) => typeof x === 'object' && x !== null && Object.keys(x).some((k) => !STATEMENT_ELEMENTS.has(k)),
  );
}

/**
 * Parses and checks a policy document; throws `MalformedPolicyDocument` with IAM's message when it is not
 * acceptable for `use`. Returns the parsed policy.
 */
export function checkPolicyDocument(text: string, use: DocumentUse): Policy {
  const parsed = parsePolicy(text);
  if (!parsed.ok) {
    const first = parsed.error[0]?.message ?? '';
    if (first.startsWith('malformed JSON')) throw malformedPolicy('This policy contains invalid Json');
    if (/neither Action nor NotAction/.test(first))
      throw malformedPolicy('Policy statement must contain actions.');
    throw malformedPolicy('Syntax errors in policy.');
  }
  if (hasUnknownElement(parsed.value.raw)) throw malformedPolicy('Syntax errors in policy.');
  const policy = parsed.value.policy;
  if (policy.version !== undefined && !VERSIONS.includes(policy.version)) {
    throw malformedPolicy('The policy failed legacy parsing');
  }
  if (policy.statements.length === 0) throw malformedPolicy('Syntax errors in policy.');
  for (const s of policy.statements) {
    if (!s.action && !s.notAction) throw malformedPolicy('Policy statement must contain actions.');
    for (const a of s.action ?? s.notAction ?? []) {
      if (!ACTION_PATTERN.test(a)) {
        throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      }
    }
    if (use === 'trust') {
      if (!s.principal && !s.notPrincipal) throw malformedPolicy('Missing required field Principal');
      if (s.resource || s.notResource) throw malformedPolicy('Has prohibited field Resource');
    } else {
      if (s.principal || s.notPrincipal)
        throw malformedPolicy('Policy document should not specify a principal.');
      if (!s.resource && !s.notResource) throw malformedPolicy('Policy statement must contain resources.');
    }
  }
  return policy;
}

/** Checks a trust policy's grammar and the 2,048-character quota (LimitExceeded, as IAM). */
export function checkTrustPolicy(text: string): Policy {
  const policy = checkPolicyDocument(text, 'trust');
  if (policySize(text) > POLICY_SIZE_LIMITS.trustPolicy) {
    throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${POLICY_SIZE_LIMITS.trustPolicy}`);
  }
  return policy;
}

/** Checks a customer managed policy's grammar and the 6,144-character quota. */
export function checkManagedPolicy(text: string): Policy {
  const policy = checkPolicyDocument(text, 'identity');
  if (policySize(text) > POLICY_SIZE_LIMITS.managedPolicy) {
    throw limitExceeded(`Cannot exceed quota for PolicySize: ${POLICY_SIZE_LIMITS.managedPolicy}`);
  }
  return policy;
}

/**
 * Checks a role inline policy and the role's aggregate inline quota (10,240 characters over all its
 * inline policies, the new one replacing any of the same name).
 */
export function checkRoleInlinePolicy(
  text: string,
  roleName: string,
  others: Readonly<Record<string, string>>,
  policyName: string,
): Policy {
  const policy = checkPolicyDocument(text, 'identity');
  let total = policySize(text);
  for (const [name, doc] of Object.entries(others)) if (name !== policyName) total += policySize(doc);
  if (total > POLICY_SIZE_LIMITS.roleInlineAggregate) {
    throw limitExceeded(
      `Maximum policy size of ${POLICY_SIZE_LIMITS.roleInlineAggregate} bytes exceeded for role ${roleName}`,
    );
  }
  return policy;
}
