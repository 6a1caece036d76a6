import type { CallContext, RequiredPermission } from './context.ts';
import { findManagedPolicy, findRole, type RoleRecord, type SessionRecord } from './state.ts';

/**
 * Condition context values by key, keys in lower case (IAM condition keys are case-insensitive: the engine lower-cases
 * them, and a key already in lower case costs it nothing): a string is single-valued, an array multivalued. A Map, not
 * a record: ~25 computed keys per request put a record on V8's slow dictionary path, which cost more than the policy
 * evaluation itself.
 */
export type RequestContextValues = Map<string, string | string[]>;

/** The caller's side of a decision: who it is and the policies limiting it (documents as JSON text). */
export interface CallerPolicies {
  principalArn: string;
  identityPolicies: string[];
  permissionsBoundary?: string;
  sessionPolicies: string[];
}

/** One authorisation question; `resourcePolicy` is set for AssumeRole (the role's trust policy). */
export interface EvaluationQuery extends CallerPolicies {
  action: string;
  resource: string;
  context: RequestContextValues;
  resourcePolicy?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** Why, worded for IAM's AccessDenied message after `because` (e.g. `no identity-based policy allows …`). */
  reason: string;
}

/** The policy engine as the emulator needs it (port; the adapter over `simulate()` is in policy-evaluator.ts). */
export interface PolicyEvaluator {
  evaluate(query: EvaluationQuery): AuthorizationDecision;
}

/** An evaluator that denies everything: the fail-closed default when no engine is wired in. */
export const denyAllEvaluator: PolicyEvaluator = {
  evaluate: () => ({ allowed: false, reason: 'no policy engine is configured' }),
};

/** Long-term keys (root, IAM users) act as account administrators in the emulator. */
const ADMIN_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const EMPTY_POLICY = '{"Version":"2012-10-17","Statement":[]}';

/** Global condition keys that describe the calling principal and the time of the request (a new Map). */
export function principalContext(ctx: CallContext): RequestContextValues {
  const p = ctx.principal;
  const values: RequestContextValues = new Map();
  values.set('aws:currenttime', ctx.now.toISOString());
  values.set('aws:epochtime', String(Math.floor(ctx.now.getTime() / 1000)));
  values.set('aws:principalaccount', p.account.id);
  values.set('aws:principalarn', p.kind === 'session' ? p.session.roleArn : p.arn);
  values.set('aws:userid', p.userId);
  values.set('aws:requestedregion', ctx.region);
  values.set('aws:securetransport', 'false');
  values.set(
    'aws:principaltype',
    p.kind === 'session' ? 'AssumedRole' : p.kind === 'root' ? 'Account' : 'User',
  );
  values.set('aws:viaawsservice', 'false');
  if (p.kind === 'user') values.set('aws:username', p.user.name);
  if (p.kind === 'session') addSessionContext(ctx, p.session, values);
  return values;
}

function addSessionContext(ctx: CallContext, session: SessionRecord, values: RequestContextValues): void {
  values.set('aws:tokenissuetime', session.issuedAt);
  if (session.sourceIdentity) values.set('aws:sourceidentity', session.sourceIdentity);
  const role = liveRole(ctx, session);
  // Session tags override role tags with the same key (IAM User Guide, "Passing session tags in AWS STS").
  const tags = new Map<string, string>();
  for (const t of role?.tags ?? []) tags.set(t.Key.toLowerCase(), t.Value);
  for (const t of session.tags) tags.set(t.Key.toLowerCase(), t.Value);
  for (const [k, v] of tags) values.set(`aws:principaltag/${k}`, v);
  if (tags.size > 0) values.set('aws:principaltagkeys', [...tags.keys()]);
}

/** The session's role if it still exists (same name and the same unique id, so a re-created role does not count). */
export function liveRole(ctx: CallContext, session: SessionRecord): RoleRecord | undefined {
  const account = ctx.state.accounts[session.accountId];
  const role = account ? findRole(account, session.roleName) : undefined;
  return role && role.roleId === session.roleId ? role : undefined;
}

/** Policy documents (JSON text) of the managed policy ARNs that exist in the account; unknown ARNs are skipped. */
function managedDocuments(ctx: CallContext, arns: readonly string[]): string[] {
  return arns.flatMap((arn) => {
    const p = findManagedPolicy(ctx.state, ctx.principal.account, arn);
    return p ? [p.document] : [];
  });
}

/**
 * The caller's policies. Root and IAM users (long-term keys) get an allow-all identity policy; an STS session
 * gets its role's inline and attached policies, the role's permissions boundary and the session policies. A
 * session whose role was deleted has no policies at all. A boundary ARN that does not resolve is an empty
 * boundary (fail closed).
 */
export function callerPolicies(ctx: CallContext): CallerPolicies {
  const p = ctx.principal;
  if (p.kind !== 'session')
    return { principalArn: p.arn, identityPolicies: [ADMIN_POLICY], sessionPolicies: [] };
  const role = liveRole(ctx, p.session);
  if (!role) return { principalArn: p.arn, identityPolicies: [], sessionPolicies: [] };
  const sessionPolicies = [
    ...(p.session.sessionPolicy ? [p.session.sessionPolicy] : []),
    ...managedDocuments(ctx, p.session.sessionPolicyArns),
  ];
  const caller: CallerPolicies = {
    principalArn: p.arn,
    identityPolicies: [
      ...Object.values(role.inlinePolicies),
      ...managedDocuments(ctx, role.attachedPolicyArns),
    ],
    sessionPolicies,
  };
  if (role.permissionsBoundaryArn) {
    caller.permissionsBoundary =
      findManagedPolicy(ctx.state, ctx.principal.account, role.permissionsBoundaryArn)?.document ??
      EMPTY_POLICY;
  }
  return caller;
}

/**
 * Decides whether the caller may perform `permission` (IAM User Guide, "Policy evaluation logic"): the policy
 * engine evaluates the caller's policies with the request context (`aws:TokenIssueTime`, principal tags, …).
 */
export function authorizeCall(ctx: CallContext, permission: RequiredPermission): AuthorizationDecision {
  if (ctx.principal.kind === 'session' && !liveRole(ctx, ctx.principal.session)) {
    return { allowed: false, reason: 'the role of this session no longer exists' };
  }
  const context = principalContext(ctx);
  if (permission.context) for (const [k, v] of permission.context) context.set(k, v);
  return ctx.evaluator.evaluate(
    evaluationQuery(callerPolicies(ctx), permission.action, permission.resource, context),
  );
}

/**
 * The evaluator's question: `caller`'s policies asked about `action` on `resource` with `context`. Fields are
 * copied one by one: V8 answers object spreads of these shapes on a slow path (µs a call, on every request).
 */
export function evaluationQuery(
  caller: CallerPolicies,
  action: string,
  resource: string,
  context: RequestContextValues,
  resourcePolicy?: string,
): EvaluationQuery {
  return {
    principalArn: caller.principalArn,
    identityPolicies: caller.identityPolicies,
    permissionsBoundary: caller.permissionsBoundary,
    sessionPolicies: caller.sessionPolicies,
    action,
    resource,
    context,
    resourcePolicy,
  };
}

/** The AccessDenied message IAM uses: `User: <arn> is not authorized to perform: <action> on resource: <arn> because …`. */
export function accessDeniedMessage(
  ctx: CallContext,
  permission: RequiredPermission,
  reason: string,
): string {
  return `User: ${ctx.principal.arn} is not authorized to perform: ${permission.action} on resource: ${permission.resource} because ${reason}`;
}
