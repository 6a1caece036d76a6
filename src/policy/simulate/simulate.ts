/**
 * The IAM policy simulator: AWS's documented evaluation logic over identity-based policies, a permissions
 * boundary, SCPs, RCPs, a resource-based policy and session policies.
 * Sources: IAM User Guide, "Policy evaluation logic" / "How AWS enforcement code logic evaluates requests to
 * allow or deny access" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)
 * and "Cross-account policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 */
import { buildContext, type PrincipalInfo, parsePrincipal } from './context.ts';
import {
  type EvaluationRequest,
  evaluateLevels,
  evaluateType,
  NOT_PRESENT,
  type TypeEvaluation,
} from './evaluate.ts';
import { type Asked, describeRefs, gateReason } from './reasons.ts';
import type {
  PolicyTypeDetail,
  SimulatedPolicyType,
  SimulationInput,
  SimulationResult,
  StatementRef,
  TypeOutcome,
} from './types.ts';

type Evaluations = Record<SimulatedPolicyType, TypeEvaluation>;

/** The verdict before the result object is assembled: an implicit deny reason, or the deciding allows. */
type Verdict = { denied: string } | { allowed: string; deciding: StatementRef[] };

function accountOf(arn: string): string | undefined {
  const account = arn.split(':', 5)[4];
  return account && account.length === 12 && /^\d{12}$/.test(account) ? account : undefined;
}

const NOT_PRESENT_DETAIL: PolicyTypeDetail = Object.freeze({
  outcome: 'NotPresent',
  allows: NOT_PRESENT.allows,
  denies: NOT_PRESENT.denies,
  conditionMisses: NOT_PRESENT.conditionMisses,
});

function detail(e: TypeEvaluation): PolicyTypeDetail {
  if (e === NOT_PRESENT) return NOT_PRESENT_DETAIL;
  let outcome: TypeOutcome = 'ImplicitDeny';
  if (!e.present) outcome = 'NotPresent';
  else if (e.denies.length) outcome = 'ExplicitDeny';
  else if (e.allowed) outcome = 'Allow';
  return { outcome, allows: e.allows, denies: e.denies, conditionMisses: e.conditionMisses };
}

/** Session principals: role sessions and federated users; a bare role ARN acts through a session too, and an unnamed principal counts as one when session policies are given. */
function isSessionPrincipal(principal: PrincipalInfo | undefined, e: Evaluations): boolean {
  if (!principal) return e.session.present;
  return (
    principal.kind === 'role-session' || principal.kind === 'role' || principal.kind === 'federated-user'
  );
}

/**
 * The principal's own side: identity policies (unless a resource policy naming the role stands in for them),
 * the permissions boundary and the session policies. Returns the allow statements relied on, or a deny reason.
 */
function principalSide(
  principal: PrincipalInfo | undefined,
  e: Evaluations,
  asked: Asked,
  skipIdentity: boolean,
): StatementRef[] | string {
  const refs: StatementRef[] = [];
  const root = principal?.kind === 'root';
  if (!skipIdentity && !root) {
    if (!e.identity.allowed) return gateReason('identity', asked, e.identity.conditionMisses);
    refs.push(...e.identity.allows);
  }
  if (e.boundary.present && !root) {
    if (!e.boundary.allowed) return gateReason('boundary', asked, e.boundary.conditionMisses);
    refs.push(...e.boundary.allows);
  }
  if (isSessionPrincipal(principal, e) && e.session.present) {
    if (!e.session.allowed) return gateReason('session', asked, e.session.conditionMisses);
    refs.push(...e.session.allows);
  } else if (principal?.kind === 'federated-user') {
    // IAM User Guide, evaluation logic: without a session policy only a role session keeps its permissions.
    return 'Implicitly denied: a federated-user session without a session policy has no permissions.';
  }
  return refs;
}

/** Steps 2–6 of the evaluation, after explicit denies have been ruled out. */
function decide(
  principal: PrincipalInfo | undefined,
  e: Evaluations,
  asked: Asked,
  crossAccount: boolean,
  resourcePolicyMustAllow: boolean,
): Verdict {
  // RCPs (resource's account) and SCPs (principal's account) must allow at every level; they never grant.
  if (e.rcp.present && !e.rcp.allowed) return { denied: gateReason('rcp', asked, e.rcp.conditionMisses) };
  const isService = principal?.kind === 'service';
  if (e.scp.present && !e.scp.allowed && !isService)
    return { denied: gateReason('scp', asked, e.scp.conditionMisses) };
  const orgAllows = isService ? e.rcp.allows : [...e.rcp.allows, ...e.scp.allows];
  const resource = e.resource;
  // Role trust policies and KMS key policies must allow the principal (or its account) even within one account.
  if (resourcePolicyMustAllow && resource.allowMatch === 'none') {
    return { denied: gateReason('resource', asked, resource.conditionMisses, crossAccount) };
  }

  if (crossAccount) {
    // Both the resource policy (trusting the principal or its account) and the principal's policies must allow.
    if (resource.allowMatch === 'none')
      return { denied: gateReason('resource', asked, resource.conditionMisses, true) };
    const side = principalSide(principal, e, asked, false);
    if (typeof side === 'string') return { denied: side };
    const reason = `Allowed cross-account: ${describeRefs(resource.allows)} and ${describeRefs(side)}.`;
    return { allowed: reason, deciding: [...resource.allows, ...side, ...orgAllows] };
  }
  // Same account: a resource policy naming the user or session itself (or any principal with `*`) grants alone.
  if (resource.allowMatch === 'direct' || (isService && resource.allowed)) {
    return {
      allowed: `Allowed by ${describeRefs(resource.allows)}.`,
      deciding: [...resource.allows, ...orgAllows],
    };
  }
  if (isService) return { denied: gateReason('resource', asked, resource.conditionMisses) };
  // Naming the role ARN stands in for the identity policy but stays limited by the boundary and session policies.
  const viaRole = resource.allowMatch === 'role';
  const side = principalSide(principal, e, asked, viaRole);
  if (typeof side === 'string') return { denied: side };
  const deciding = viaRole ? [...resource.allows, ...side] : side;
  if (principal?.kind === 'root' && deciding.length === 0) {
    return {
      allowed:
        'Allowed: the account root user has full access unless an SCP, an RCP or an explicit deny limits it.',
      deciding: orgAllows,
    };
  }
  return { allowed: `Allowed by ${describeRefs(deciding)}.`, deciding: [...deciding, ...orgAllows] };
}

/**
 * Decides whether `input.request` is allowed. Pure and deterministic; never throws for normalised policies.
 * Returns the decision, a one-sentence reason, the deciding statements and what each policy type contributed.
 * Policies are compiled once and cached per object: reuse the same `Policy` objects across calls.
 */
export function simulate(input: SimulationInput): SimulationResult {
  const { request } = input;
  const principal = request.principal ? parsePrincipal(request.principal) : undefined;
  const resourceAccount = request.resourceAccount ?? accountOf(request.resource) ?? principal?.account;
  const crossAccount =
    principal?.account !== undefined &&
    resourceAccount !== undefined &&
    principal.account !== resourceAccount;
  const req: EvaluationRequest = {
    actionLower: request.action.toLowerCase(),
    resource: request.resource,
    context: buildContext(request.context, principal),
    principal,
    hasBoundary: input.permissionsBoundary !== undefined,
  };
  const e: Evaluations = {
    identity: evaluateType(input.identityPolicies ?? [], 'identity', req),
    boundary: evaluateType(input.permissionsBoundary ? [input.permissionsBoundary] : [], 'boundary', req),
    scp: evaluateLevels(input.scps, 'scp', req),
    rcp: evaluateLevels(input.rcps, 'rcp', req),
    resource: evaluateType(input.resourcePolicy ? [input.resourcePolicy] : [], 'resource', req),
    session: evaluateType(input.sessionPolicies ?? [], 'session', req),
  };
  const details = {
    identity: detail(e.identity),
    boundary: detail(e.boundary),
    scp: detail(e.scp),
    rcp: detail(e.rcp),
    resource: detail(e.resource),
    session: detail(e.session),
  };
  const types = [e.identity, e.boundary, e.scp, e.rcp, e.resource, e.session];
  const warnings: string[] = [];
  const denies: StatementRef[] = [];
  for (const t of types) {
    if (t.warnings.length) warnings.push(...t.warnings);
    if (t.denies.length) denies.push(...t.denies);
  }
  // An explicit deny in any applicable policy wins.
  if (denies.length) {
    const reason = `Explicitly denied by ${describeRefs(denies)}.`;
    return { decision: 'ExplicitlyDenied', reason, deciding: denies, details, crossAccount, warnings };
  }
  const verdict = decide(principal, e, request, crossAccount, input.resourcePolicyMustAllow === true);
  if ('denied' in verdict) {
    return {
      decision: 'ImplicitlyDenied',
      reason: verdict.denied,
      deciding: [],
      details,
      crossAccount,
      warnings,
    };
  }
  return {
    decision: 'Allowed',
    reason: verdict.allowed,
    deciding: verdict.deciding,
    details,
    crossAccount,
    warnings,
  };
}
