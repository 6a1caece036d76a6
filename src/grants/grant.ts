/**
 * Grants: the time-bound AWS access an approved request becomes (one per account). Types and pure rules: the role
 * name, trust policy, time-bounded inline policy, tags, and the credential duration (DESIGN.md §4, docs/grants.md).
 */
import type { ProvisioningMode } from '../accounts/account.ts';

/** A grant's lifecycle: `pending` until provisioned, `active`, `revoking` until AWS confirms, then an end state. */
export const GRANT_STATES = ['pending', 'active', 'revoking', 'expired', 'revoked', 'failed'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/** States in which AWS access may exist (or be about to). */
export const LIVE_GRANT_STATES: readonly GrantState[] = ['pending', 'active', 'revoking'];

/** A grant as stored. */
export interface Grant {
  readonly id: string;
  readonly requestId: string;
  readonly accountId: string;
  readonly requesterId: string;
  readonly approverIds: readonly string[];
  /** The request revision that was approved. */
  readonly revision: number;
  readonly mode: ProvisioningMode;
  readonly status: GrantState;
  /** The approved IAM policy document (as approved; `timeBoundPolicy` adds the time limit). */
  readonly policy: unknown;
  /** Access starts here (the approval, or the request's `start_at`). */
  readonly notBefore: Date;
  /** Access ends here: `notBefore` + the request's duration. */
  readonly notAfter: Date;
  /** `iam-jit-<grant id>`. */
  readonly roleName: string;
  readonly roleArn: string | null;
  readonly activatedAt: Date | null;
  readonly endedAt: Date | null;
  /** Why provisioning failed, or a short note on how it ended. */
  readonly endReason: string | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
  /** Grows by one on every change; updates are conditional on it. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** AWS regions the grant is limited to (`aws:RequestedRegion` on its policy); null = any region. */
  readonly regions?: readonly string[] | null;
}

/** IAM path of every grant role; the spoke policy only lets the hub touch roles under it. */
export const GRANT_ROLE_PATH = '/iam-jit/';
/** The tag every iam-jit role carries; the spoke policy is scoped to it. */
export const MANAGED_BY_TAG = { key: 'managed-by', value: 'iam-jit' } as const;
/** Name of the grant's inline policy. */
export const GRANT_POLICY_NAME = 'iam-jit-grant';
/** Name of the inline policy that denies sessions issued before the revocation. */
export const REVOKE_POLICY_NAME = 'iam-jit-revoke-sessions';
/** Shortest credentials STS issues (AssumeRole `DurationSeconds` minimum). */
export const MIN_CREDENTIAL_SECONDS = 900;
/** Longest credentials iam-jit vends at once (role chaining caps AssumeRole at 1 h anyway). */
export const MAX_CREDENTIAL_SECONDS = 3600;
/** The role's `MaxSessionDuration`: 3600 s is IAM's minimum, and vended credentials never last longer. */
export const GRANT_MAX_SESSION_SECONDS = 3600;

/** `iam-jit-<grant id>` (role names are at most 64 characters; grant ids are far shorter). */
export function grantRoleName(grantId: string): string {
  return `iam-jit-${grantId}`;
}

/** The IAM principal ARN of an `iam:` user (`iam:arn:aws:iam::…:role/X` → the ARN), else undefined. */
export function iamPrincipalOf(userId: string): string | undefined {
  return userId.startsWith('iam:') ? userId.slice(4) : undefined;
}

/**
 * The STS SourceIdentity for a user id: AWS allows only `[\w+=,.@-]`, 2–64 characters, so every other character
 * (the `:` and `/` of user ids) becomes `+`, and long ids are cut to 64.
 */
export function sourceIdentityFor(userId: string): string {
  return userId.replace(/[^\w+=,.@-]/g, '+').slice(0, 64);
}

/** `{ DateLessThan: { aws:CurrentTime } }` merged into `condition` after dropping any `aws:CurrentTime` key. */
function withTimeLimit(condition: unknown, notAfter: Date): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
    for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
      if (block === null || typeof block !== 'object' || Array.isArray(block)) continue;
      // Condition keys are case-insensitive (IAM User Guide, "IAM JSON policy elements: Condition").
      const kept = Object.entries(block as Record<string, unknown>).filter(
        ([key]) => key.toLowerCase() !== 'aws:currenttime',
      );
      if (kept.length > 0) out[operator] = Object.fromEntries(kept);
    }
  }
  out.DateLessThan = { ...(out.DateLessThan ?? {}), 'aws:CurrentTime': notAfter.toISOString() };
  return out;
}

/**
 * The approved policy with `DateLessThan aws:CurrentTime = notAfter` on every statement, replacing any
 * `aws:CurrentTime` condition the requester supplied (under any operator), so access ends on time even if iam-jit
 * is down. With `regions`, every statement is also limited by `StringEquals aws:RequestedRegion` (see
 * `regionBound`). Throws Error when `policy` has no statements (approved policies were validated).
 */
export function timeBoundPolicy(
  policy: unknown,
  notAfter: Date,
  regions?: readonly string[] | null,
): Record<string, unknown> {
  if (policy === null || typeof policy !== 'object')
    throw new Error('timeBoundPolicy: policy is not an object');
  const doc = policy as Record<string, unknown>;
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw new Error('timeBoundPolicy: policy has no statements');
  const bounded = statements.map((s) => {
    const st = s as Record<string, unknown>;
    return { ...st, Condition: withTimeLimit(st.Condition, notAfter) };
  });
  return {
    Version: '2012-10-17',
    Statement:
      regions == null || regions.length === 0 ? bounded : bounded.flatMap((st) => regionBound(st, regions)),
  };
}

/**
 * Services with a single, global endpoint: their requests carry the endpoint's home Region as
 * `aws:RequestedRegion` (us-east-1 for IAM, CloudFront, Route 53, Support, Organizations…; us-west-2 for Chatbot
 * and Device Farm), whatever Region the caller works in (IAM User Guide, "AWS: Denies access to AWS based on the
 * requested Region"). Their actions are left out of the region limit.
 */
export const GLOBAL_SERVICE_PREFIXES: readonly string[] = [
  'iam',
  'cloudfront',
  'route53',
  'route53domains',
  'support',
  'organizations',
  'budgets',
  'globalaccelerator',
  'importexport',
  'waf',
  'chatbot',
  'devicefarm',
];

const isGlobalAction = (action: unknown): boolean =>
  typeof action === 'string' && GLOBAL_SERVICE_PREFIXES.includes(action.split(':')[0]?.toLowerCase() ?? '');

/** `condition` with `StringEquals aws:RequestedRegion` ∩ `regions` (keeping a narrower one the requester wrote). */
function withRegionLimit(
  condition: Record<string, Record<string, unknown>>,
  regions: readonly string[],
): Record<string, Record<string, unknown>> {
  const equals = { ...(condition.StringEquals ?? {}) };
  let allowed = [...regions];
  for (const [key, value] of Object.entries(equals))
    if (key.toLowerCase() === 'aws:requestedregion') {
      const theirs = Array.isArray(value) ? value : [value];
      allowed = allowed.filter((r) => theirs.includes(r));
      delete equals[key];
    }
  equals['aws:RequestedRegion'] = allowed.length === 1 ? (allowed[0] as string) : allowed;
  return { ...condition, StringEquals: equals };
}

/**
 * One time-bounded statement limited to `regions`: `StringEquals aws:RequestedRegion` (intersected with any the
 * requester wrote). An `Action` list mixing global-service actions (`GLOBAL_SERVICE_PREFIXES`) with others is split:
 * the global actions keep only the time limit (a region limit would deny them everywhere but their home Region),
 * the rest get the region limit. `NotAction` statements and wildcards such as `*` are always region-limited.
 */
export function regionBound(
  statement: Record<string, unknown>,
  regions: readonly string[],
): Record<string, unknown>[] {
  const condition = statement.Condition as Record<string, Record<string, unknown>>;
  const limited = (st: Record<string, unknown>) => ({
    ...st,
    Condition: withRegionLimit(condition, regions),
  });
  if (statement.Action === undefined) return [limited(statement)];
  const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
  const global = actions.filter(isGlobalAction);
  if (global.length === 0) return [limited(statement)];
  const regional = actions.filter((a) => !isGlobalAction(a));
  if (regional.length === 0) return [statement];
  const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
  return [
    { ...statement, ...(sid === undefined ? {} : { Sid: `${sid}Global` }), Action: global },
    limited({ ...statement, Action: regional }),
  ];
}

/** A region code such as `eu-west-1` or `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The grant role's trust policy: the broker's vending principal (only with the requester's SourceIdentity), and
 * the requester's own IAM principal for `iam:` users; both only before `notAfter`.
 */
export function grantTrustPolicy({
  vendingPrincipalArn,
  requesterId,
  notAfter,
}: {
  vendingPrincipalArn: string;
  requesterId: string;
  notAfter: Date;
}): Record<string, unknown> {
  const until = { 'aws:CurrentTime': notAfter.toISOString() };
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'IamJitVending',
      Effect: 'Allow',
      Principal: { AWS: vendingPrincipalArn },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      Condition: {
        DateLessThan: until,
        StringEquals: { 'sts:SourceIdentity': sourceIdentityFor(requesterId) },
      },
    },
  ];
  const own = iamPrincipalOf(requesterId);
  if (own !== undefined)
    statements.push({
      Sid: 'IamJitRequester',
      Effect: 'Allow',
      Principal: { AWS: own },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
      Condition: { DateLessThan: until },
    });
  return { Version: '2012-10-17', Statement: statements };
}

/** AWS tag values allow letters, digits, spaces and `_.:/=+-@` (IAM Tag type); anything else becomes `_`. */
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

/** The grant role's tags: `managed-by=iam-jit`, grant and request ids, requester, approvers, expiry. */
export function grantTags(grant: Grant): Record<string, string> {
  return {
    [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value,
    'iam-jit:grant-id': grant.id,
    'iam-jit:request-id': grant.requestId,
    'iam-jit:requester': tagValue(grant.requesterId),
    'iam-jit:approver': tagValue(grant.approverIds.join(' ')),
    'iam-jit:expires-at': grant.notAfter.toISOString(),
  };
}

/** The deny attached at revocation: every action, for sessions issued before `before` (`aws:TokenIssueTime`). */
export function revokeSessionsPolicy(before: Date): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'IamJitRevokeOlderSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': before.toISOString() } },
      },
    ],
  };
}

/**
 * Seconds of credentials to vend at `now`: min(remaining, 1 h), or the remaining seconds when fewer than 900
 * remain (the caller refuses then). Whole seconds, rounded down.
 */
export function credentialSeconds(notAfter: Date, now: Date): number {
  const remaining = Math.floor((notAfter.getTime() - now.getTime()) / 1000);
  return Math.min(remaining, MAX_CREDENTIAL_SECONDS);
}
