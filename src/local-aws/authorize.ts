import type { CallContext, RequiredPermission } from './context.ts';
import { findRole, type RoleRecord, type SessionRecord } from './state.ts';

/** Condition context values: a string is single-valued, an array multivalued. */
export type RequestContextValues = Record<string, string | string[]>;

/** An identity-side question: may this principal perform `action` on `resource`? Documents are JSON text. */
export interface PermissionQuery {
  principalArn: string;
  action: string;
  resource: string;
  context: RequestContextValues;
  identityPolicies: string[];
  permissionsBoundary?: string;
  sessionPolicies: string[];
}

/** A resource-side question: does the role's trust policy let `principalArn` call `action` on it? */
export interface TrustQuery {
  trustPolicy: string;
  principalArn: string;
  action: string;
  roleArn: string;
  context: RequestContextValues;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** Why, for the AccessDenied message (`because …`). */
  reason: string;
}

/** The policy engine as the emulator needs it (port; the adapter over `simulate()` is in policy-evaluator.ts). */
export interface PolicyEvaluator {
  evaluatePermission(query: PermissionQuery): AuthorizationDecision;
  evaluateTrust(query: TrustQuery): AuthorizationDecision;
}

/** An evaluator that denies everything: the fail-closed default when no engine is wired in. */
export const denyAllEvaluator: PolicyEvaluator = {
  evaluatePermission: () => ({ allowed: false, reason: 'no policy engine is configured' }),
  evaluateTrust: () => ({ allowed: false, reason: 'no policy engine is configured' }),
};

/** Global condition keys that describe the calling principal and the time of the request. */
export function principalContext(ctx: CallContext): RequestContextValues {
  const p = ctx.principal;
  const values: RequestContextValues = {
    'aws:CurrentTime': ctx.now.toISOString(),
    'aws:EpochTime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:PrincipalAccount': p.account.id,
    'aws:PrincipalArn': p.kind === 'session' ? p.session.roleArn : p.arn,
    'aws:userid': p.userId,
    'aws:RequestedRegion': ctx.region,
    'aws:SecureTransport': 'false',
    'aws:PrincipalType': p.kind === 'session' ? 'AssumedRole' : p.kind === 'root' ? 'Account' : 'User',
    'aws:ViaAWSService': 'false',
  };
  if (p.kind === 'user') values['aws:username'] = p.user.name;
  if (p.kind === 'session') Object.assign(values, sessionContext(ctx, p.session));
  return values;
}

function sessionContext(ctx: CallContext, session: SessionRecord): RequestContextValues {
  const values: RequestContextValues = { 'aws:TokenIssueTime': session.issuedAt };
  if (session.sourceIdentity) values['aws:SourceIdentity'] = session.sourceIdentity;
  const role = liveRole(ctx, session);
  // Session tags override role tags with the same key (IAM User Guide, "Passing session tags in AWS STS").
  const tags = new Map<string, string>();
  for (const t of role?.tags ?? []) tags.set(t.Key.toLowerCase(), t.Value);
  for (const t of session.tags) tags.set(t.Key.toLowerCase(), t.Value);
  for (const [k, v] of tags) values[`aws:PrincipalTag/${k}`] = v;
  if (tags.size > 0) values['aws:PrincipalTagKeys'] = [...tags.keys()];
  return values;
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
    const p = ctx.principal.account.policies[arn];
    return p ? [p.document] : [];
  });
}

/**
 * Decides whether the caller may perform `permission`. Root and IAM users (long-term keys) are trusted;
 * STS sessions are evaluated with the role's inline and attached policies, its permissions boundary and the
 * session policies (IAM User Guide, "Policy evaluation logic"). A deleted role denies everything.
 */
export function authorizeCall(ctx: CallContext, permission: RequiredPermission): AuthorizationDecision {
  const p = ctx.principal;
  if (p.kind !== 'session') return { allowed: true, reason: 'long-term credentials of the account' };
  const role = liveRole(ctx, p.session);
  if (!role) return { allowed: false, reason: 'the role of this session no longer exists' };
  const boundary = role.permissionsBoundaryArn
    ? ctx.principal.account.policies[role.permissionsBoundaryArn]?.document
    : undefined;
  const sessionPolicies = [
    ...(p.session.sessionPolicy ? [p.session.sessionPolicy] : []),
    ...managedDocuments(ctx, p.session.sessionPolicyArns),
  ];
  return ctx.evaluator.evaluatePermission({
    principalArn: p.arn,
    action: permission.action,
    resource: permission.resource,
    context: principalContext(ctx),
    identityPolicies: [
      ...Object.values(role.inlinePolicies),
      ...managedDocuments(ctx, role.attachedPolicyArns),
    ],
    // A boundary ARN that does not resolve still limits: an empty boundary allows nothing (fail closed).
    ...(role.permissionsBoundaryArn
      ? { permissionsBoundary: boundary ?? '{"Version":"2012-10-17","Statement":[]}' }
      : {}),
    sessionPolicies,
  });
}

/** The AccessDenied message IAM uses: `User: <arn> is not authorized to perform: <action> on resource: <arn> because …`. */
export function accessDeniedMessage(
  ctx: CallContext,
  permission: RequiredPermission,
  reason: string,
): string {
  return `User: ${ctx.principal.arn} is not authorized to perform: ${permission.action} on resource: ${permission.resource} because ${reason}`;
}
