/**
 * The IAM policy simulator: AWS's documented evaluation logic over identity-based policies, a permissions
 * boundary, SCPs, RCPs, a resource-based policy and session policies.
 * Sources: IAM User Guide, "Policy evaluation logic" / "How AWS enforcement code logic evaluates requests to
 * allow or deny access" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)
 * and "Cross-account policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
 */
import type { Policy } from '../types.ts';
import { buildContext, type PrincipalInfo, parsePrincipal } from './context.ts';
import {
  type EvaluationRequest,
  evaluatePolicy,
  type PolicyEvaluation,
  type PolicyLocation,
} from './evaluate.ts';
import { describeRefs, gateReason } from './reasons.ts';
import type {
  PolicyTypeDetail,
  SimulatedPolicyType,
  SimulationInput,
  SimulationResult,
  StatementRef,
  TypeOutcome,
} from './types.ts';

interface TypeEvaluation extends PolicyEvaluation {
  present: boolean;
  /** Every level (SCP/RCP) or the policy set (others) has an applicable Allow. */
  allowed: boolean;
}

function evaluateSet(
  policies: readonly Policy[],
  type: SimulatedPolicyType,
  req: EvaluationRequest,
  level?: number,
) {
  const out: PolicyEvaluation = { allows: [], denies: [], allowMatch: 'none', warnings: [] };
  policies.forEach((policy, index) => {
    const where: PolicyLocation = { type, index, ...(level !== undefined ? { level } : {}) };
    const e = evaluatePolicy(policy, where, req);
    out.allows.push(...e.allows);
    out.denies.push(...e.denies);
    out.warnings.push(...e.warnings);
    if (e.allowMatch === 'direct' || (e.allowMatch === 'role' && out.allowMatch !== 'direct'))
      out.allowMatch = e.allowMatch;
    else if (e.allowMatch === 'account' && out.allowMatch === 'none') out.allowMatch = 'account';
  });
  return out;
}

function evaluateType(
  policies: readonly Policy[],
  type: SimulatedPolicyType,
  req: EvaluationRequest,
): TypeEvaluation {
  const e = evaluateSet(policies, type, req);
  return { ...e, present: policies.length > 0, allowed: e.allows.length > 0 };
}

/** SCPs/RCPs: a flat array is one level; each level must contain an applicable Allow. */
function evaluateLevels(
  input: Policy[][] | Policy[] | undefined,
  type: 'scp' | 'rcp',
  req: EvaluationRequest,
): TypeEvaluation {
  const levels: Policy[][] = !input?.length
    ? []
    : Array.isArray(input[0])
      ? (input as Policy[][])
      : [input as Policy[]];
  const total: TypeEvaluation = {
    allows: [],
    denies: [],
    allowMatch: 'none',
    warnings: [],
    present: levels.length > 0,
    allowed: true,
  };
  levels.forEach((level, i) => {
    const e = evaluateSet(level, type, req, i);
    total.allows.push(...e.allows);
    total.denies.push(...e.denies);
    total.warnings.push(...e.warnings);
    if (e.allows.length === 0) total.allowed = false;
  });
  return total;
}

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function detail(e: TypeEvaluation): PolicyTypeDetail {
  const outcome: TypeOutcome = !e.present
    ? 'NotPresent'
    : e.denies.length
      ? 'ExplicitDeny'
      : e.allowed
        ? 'Allow'
        : 'ImplicitDeny';
  return { outcome, allows: e.allows, denies: e.denies };
}

/**
 * Decides whether `input.request` is allowed. Pure and deterministic; never throws for normalised policies.
 * Returns the decision, a one-sentence reason, the deciding statements and what each policy type contributed.
 */
export function simulate(input: SimulationInput): SimulationResult {
  const { request } = input;
  const principal: PrincipalInfo | undefined = request.principal
    ? parsePrincipal(request.principal)
    : undefined;
  const resourceAccount = request.resourceAccount ?? accountOf(request.resource) ?? principal?.account;
  const crossAccount =
    principal?.account !== undefined &&
    resourceAccount !== undefined &&
    principal.account !== resourceAccount;
  const boundary = input.permissionsBoundary ? [input.permissionsBoundary] : [];
  const req: EvaluationRequest = {
    actionLower: request.action.toLowerCase(),
    resource: request.resource,
    context: buildContext(request.context, principal),
    principal,
    hasBoundary: boundary.length > 0,
  };
  const e = {
    identity: evaluateType(input.identityPolicies, 'identity', req),
    boundary: evaluateType(boundary, 'boundary', req),
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
  const warnings = Object.values(e).flatMap((t) => t.warnings);
  const base = { details, crossAccount, warnings };
  const action = request.action;
  const denied = (reason: string): SimulationResult => ({
    decision: 'ImplicitlyDenied',
    reason,
    deciding: [],
    ...base,
  });
  const allowed = (reason: string, deciding: StatementRef[]): SimulationResult => ({
    decision: 'Allowed',
    reason,
    deciding,
    ...base,
  });

  // 1. An explicit deny in any applicable policy wins.
  const denies = Object.values(e).flatMap((t) => t.denies);
  if (denies.length) {
    return {
      decision: 'ExplicitlyDenied',
      reason: `Explicitly denied by ${describeRefs(denies)}.`,
      deciding: denies,
      ...base,
    };
  }
  // 2–3. RCPs (resource's account) and SCPs (principal's account) must allow at every level; they never grant.
  if (e.rcp.present && !e.rcp.allowed) return denied(gateReason('rcp', action));
  const isService = principal?.kind === 'service';
  if (e.scp.present && !e.scp.allowed && !isService) return denied(gateReason('scp', action));
  const orgAllows = [...e.rcp.allows, ...(isService ? [] : e.scp.allows)];

  // Session principals: role sessions and federated-user sessions. A bare role ARN acts through a session
  // too, and an unnamed principal counts as one when session policies are given.
  const isSession =
    principal?.kind === 'role-session' ||
    principal?.kind === 'role' ||
    principal?.kind === 'federated-user' ||
    (!principal && e.session.present);
  const principalSideGates = (skipIdentity: boolean): SimulationResult | StatementRef[] => {
    const refs: StatementRef[] = [];
    if (!skipIdentity && principal?.kind !== 'root') {
      if (!e.identity.allowed) return denied(gateReason('identity', action));
      refs.push(...e.identity.allows);
    }
    if (e.boundary.present && principal?.kind !== 'root') {
      if (!e.boundary.allowed) return denied(gateReason('boundary', action));
      refs.push(...e.boundary.allows);
    }
    if (isSession && e.session.present) {
      if (!e.session.allowed) return denied(gateReason('session', action));
      refs.push(...e.session.allows);
    } else if (principal?.kind === 'federated-user') {
      return denied(
        'Implicitly denied: a federated-user session without a session policy has no permissions.',
      );
    }
    return refs;
  };

  // 4. Cross-account: the resource policy must allow the principal, and the principal's own policies must too.
  if (crossAccount) {
    if (e.resource.allowMatch === 'none') return denied(gateReason('resource', action, true));
    if (isService) return allowed(`Allowed by ${describeRefs(e.resource.allows)}.`, e.resource.allows);
    const gates = principalSideGates(false);
    if (!Array.isArray(gates)) return gates;
    const deciding = [...e.resource.allows, ...gates, ...orgAllows];
    return allowed(
      `Allowed cross-account: ${describeRefs(e.resource.allows)} and ${describeRefs(gates)}.`,
      deciding,
    );
  }

  // 5. Same account: a resource policy naming the user or session itself grants on its own.
  if (e.resource.allowMatch === 'direct' || (isService && e.resource.allowed)) {
    return allowed(`Allowed by ${describeRefs(e.resource.allows)}.`, [...e.resource.allows, ...orgAllows]);
  }
  if (isService) return denied(gateReason('resource', action));
  // Naming the role ARN stands in for the identity policy but stays limited by the boundary and session policies.
  const viaRole = e.resource.allowMatch === 'role';
  const gates = principalSideGates(viaRole);
  if (!Array.isArray(gates)) return gates;
  const deciding = viaRole ? [...e.resource.allows, ...gates] : gates;
  if (principal?.kind === 'root' && !deciding.length) {
    return allowed(
      'Allowed: the account root user has full access unless an SCP or an explicit deny limits it.',
      orgAllows,
    );
  }
  return allowed(`Allowed by ${describeRefs(deciding)}.`, [...deciding, ...orgAllows]);
}
