/**
 * The risk model: every factor the scorer can report, its weights, and how factor weights combine into the
 * 1–10 score. docs/policy/risk-score.md explains each factor; this table is the single source of the numbers.
 *
 * Combination ("dominant factor plus increments"):
 *   - each policy factor that fires has a weight: `unscoped` when any of its evidence reaches a wide resource
 *     scope (or, for trust/public factors, has no restricting condition), else `scoped`;
 *   - factors are ranked by weight (ties by the order of FACTOR_IDS); the first contributes its full weight,
 *     the next MAX_INCREMENTS contribute 1 point each, the rest 0 (they are listed for the record);
 *   - context factors (duration, production) add their points on top;
 *   - score = min(10, 1 + Σ points), so a reader can add the points up.
 * Every step is monotone: more permissions can only add factors or raise weights, never lower the score.
 */

/** Every policy factor, most severe family first; the order breaks ties between equal weights. */
export const FACTOR_IDS = [
  'full-admin',
  'trust-any-principal',
  'privilege-escalation',
  'public-access',
  'trust-federated-no-subject',
  'defense-evasion',
  'catastrophic-change',
  'wildcard-action',
  'credentials-exposure',
  'secret-read',
  'data-read',
  'code-execution',
  'resource-exposure',
  'permissions-management',
  'high-impact-change',
  'read-only-violation',
  'not-action',
  'sensitive-service-write',
  'destructive-change',
  'wildcard-resource',
  'trust-cross-account',
  'trust-federated-no-audience',
  'not-resource',
  'service-wildcard',
  'write-access',
  'iam-recon',
  'broad-read',
  'vacuous-condition',
  'wildcard-action-pattern',
] as const;
export type FactorId = (typeof FACTOR_IDS)[number];

/** Factors that come from the request context rather than the policy text. */
export const CONTEXT_FACTOR_IDS = ['long-duration', 'production'] as const;
export type ContextFactorId = (typeof CONTEXT_FACTOR_IDS)[number];

/** A factor's title, weights and the suggestion shown when it counts. */
export interface FactorDefinition {
  title: string;
  /** Weight when every piece of evidence is scoped (narrow resources, or restricting conditions). */
  scoped: number;
  /** Weight when any evidence is unscoped (wide resources, or no restricting condition). */
  unscoped: number;
  suggestion: string;
}

/** Points of the second, third, … factors: 1 each, for at most this many factors. */
export const MAX_INCREMENTS = 2;
/** Scores are capped here (full administrator access). */
export const MAX_SCORE = 10;

/** The weights of every policy factor (documented in docs/policy/risk-score.md, kept in sync by a test). */
export const FACTORS: Readonly<Record<FactorId, FactorDefinition>> = {
  'full-admin': {
    title: 'Full administrator access: every action on every resource',
    scoped: 9,
    unscoped: 9,
    suggestion: 'Replace "Action": "*" on "*" with the actions and resources the task needs.',
  },
  'trust-any-principal': {
    title: 'Trust policy lets any AWS principal assume the role',
    scoped: 5,
    unscoped: 9,
    suggestion:
      'Name the trusted accounts or roles; never trust "*" without aws:PrincipalOrgID or sts:ExternalId.',
  },
  'privilege-escalation': {
    title: 'Privilege escalation: a published IAM escalation method is fully allowed',
    scoped: 5,
    unscoped: 7,
    suggestion:
      'Remove one action of each escalation method, or scope iam:PassRole to the roles the task needs.',
  },
  'public-access': {
    title: 'Resource policy grants access to any principal ("*")',
    scoped: 3,
    unscoped: 7,
    suggestion: 'Name the principals, or restrict with aws:PrincipalOrgID / aws:SourceAccount.',
  },
  'trust-federated-no-subject': {
    title: 'Federated trust without a subject (sub) condition: any identity of the provider can assume',
    scoped: 6,
    unscoped: 7,
    suggestion:
      'Add StringEquals on <provider>:aud and <provider>:sub (e.g. repo:org/repo:ref:refs/heads/main).',
  },
  'defense-evasion': {
    title: 'Defense evasion: can stop or delete audit logging and threat detection',
    scoped: 5,
    unscoped: 6,
    suggestion:
      'Drop CloudTrail/GuardDuty/Config/Access Analyzer changes; they belong to a security admin role.',
  },
  'catastrophic-change': {
    title: 'Catastrophic change: account or organisation changes, key or backup deletion',
    scoped: 5,
    unscoped: 6,
    suggestion:
      'Request account, organisation, key-deletion and backup-deletion actions separately, if at all.',
  },
  'wildcard-action': {
    title: 'Action "*": every action of every service',
    scoped: 5,
    unscoped: 5,
    suggestion: 'List the actions the task needs instead of "*".',
  },
  'credentials-exposure': {
    title: 'Credentials exposure: returns or mints credentials, tokens or passwords',
    scoped: 3,
    unscoped: 5,
    suggestion: 'Scope credential-returning actions to the exact roles, users or resources needed.',
  },
  'secret-read': {
    title: 'Secret read: reads secret values or decrypts data',
    scoped: 3,
    unscoped: 5,
    suggestion: 'Scope secret reads to the named secrets/parameters/keys (e.g. secret:app/prod/db-*).',
  },
  'data-read': {
    title: 'Data read: reads stored objects, items, records or log events',
    scoped: 1,
    unscoped: 5,
    suggestion: 'Scope data reads to specific buckets/prefixes, tables, streams or log groups.',
  },
  'code-execution': {
    title: 'Code execution: runs caller-supplied code or commands',
    scoped: 3,
    unscoped: 5,
    suggestion: 'Scope code-execution actions to specific functions, instances, projects or documents.',
  },
  'resource-exposure': {
    title: 'Resource exposure: can change resource policies or share resources across accounts',
    scoped: 3,
    unscoped: 5,
    suggestion: 'Remove resource-policy and sharing actions, or scope them to named resources.',
  },
  'permissions-management': {
    title: 'Permissions management: can change who may do what',
    scoped: 2,
    unscoped: 4,
    suggestion: 'Scope permissions-management actions to named resources, with conditions where possible.',
  },
  'high-impact-change': {
    title: 'High-impact change: network, DNS, deployment, key, secret or identity-pool changes',
    scoped: 2,
    unscoped: 4,
    suggestion: 'Scope high-impact changes to named resources and a short duration.',
  },
  'read-only-violation': {
    title: 'Read-only request allows actions that are not List or Read',
    scoped: 4,
    unscoped: 4,
    suggestion:
      'Remove every Write, Tagging and Permissions management action, or request read-write access.',
  },
  'not-action': {
    title: 'NotAction with Allow: allows everything except the listed actions',
    scoped: 3,
    unscoped: 3,
    suggestion: 'Use an explicit Action list; NotAction with Allow grants every new action AWS ships.',
  },
  'sensitive-service-write': {
    title: 'Writes to a sensitive service (identity, keys, secrets, organisation)',
    scoped: 2,
    unscoped: 3,
    suggestion: 'Scope writes to sensitive services to named resources.',
  },
  'destructive-change': {
    title: 'Destructive change: delete, terminate, stop or disable',
    scoped: 1,
    unscoped: 3,
    suggestion: 'Scope delete/terminate/stop actions to named resources.',
  },
  'wildcard-resource': {
    title: 'Write or permissions-management actions on every resource of a type ("*", "role/*", …)',
    scoped: 2,
    unscoped: 2,
    suggestion: 'Replace "Resource": "*" with ARNs for actions that support resource-level permissions.',
  },
  'trust-cross-account': {
    title: 'Cross-account trust without sts:ExternalId',
    scoped: 2,
    unscoped: 3,
    suggestion:
      'Trust a specific role rather than an account root, and require sts:ExternalId for third parties.',
  },
  'trust-federated-no-audience': {
    title: 'Federated trust without an audience (aud) condition',
    scoped: 3,
    unscoped: 3,
    suggestion: 'Add StringEquals on <provider>:aud (SAML:aud for SAML providers).',
  },
  'not-resource': {
    title: 'NotResource with Allow: allows every resource except the listed ones',
    scoped: 2,
    unscoped: 2,
    suggestion: 'Use an explicit Resource list instead of NotResource.',
  },
  'service-wildcard': {
    title: 'Service wildcard ("service:*"): every action of a service',
    scoped: 2,
    unscoped: 2,
    suggestion: 'List the actions of the service the task needs instead of "service:*".',
  },
  'write-access': {
    title: 'Write access (writes no more specific factor covers)',
    scoped: 1,
    unscoped: 2,
    suggestion: 'Check that each write action is needed; scope it to named resources.',
  },
  'iam-recon': {
    title: 'IAM reconnaissance: lists or reads roles, users and policies',
    scoped: 1,
    unscoped: 1,
    suggestion: 'Drop IAM list/get actions unless the task inspects IAM.',
  },
  'broad-read': {
    title: 'Reads metadata of all resources',
    scoped: 1,
    unscoped: 1,
    suggestion: 'Scope List/Describe/Get actions to the resources needed where the action allows it.',
  },
  'vacuous-condition': {
    title: 'Condition that restricts nothing (e.g. StringLike "*", IpAddress 0.0.0.0/0)',
    scoped: 1,
    unscoped: 1,
    suggestion: 'Remove the vacuous condition or give it a real value; it only looks like a restriction.',
  },
  'wildcard-action-pattern': {
    title: 'Wildcard action pattern (e.g. "ec2:Describe*")',
    scoped: 1,
    unscoped: 1,
    suggestion: 'List the concrete actions; patterns silently grow as AWS adds actions.',
  },
};

/** Titles and suggestions of the context factors (their points are computed in combine.ts). */
export const CONTEXT_FACTORS: Readonly<Record<ContextFactorId, { title: string; suggestion: string }>> = {
  'long-duration': {
    title: 'Long duration for sensitive access',
    suggestion: 'Request a shorter duration; extend later if needed.',
  },
  production: {
    title: 'Production environment',
    suggestion: 'Prefer a non-production account for this work, or narrow the policy further.',
  },
};

/** Risk bands as the established iam-jit scorer documents them. */
export function bandOf(score: number): 'low' | 'medium' | 'high' | 'critical' {
  return score <= 4 ? 'low' : score <= 6 ? 'medium' : score <= 8 ? 'high' : 'critical';
}
