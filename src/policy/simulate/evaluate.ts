/**
 * Evaluates one policy against a request: which Allow and which Deny statements apply.
 * A statement applies when its action, resource, principal (resource policies only) and all its conditions
 * match. Fail closed: a statement whose conditions use an unknown operator never allows, and denies.
 */
import type { Policy } from '../types.ts';
import { type CompiledStatement, compilePolicy } from './compile.ts';
import { evaluateConditions } from './conditions.ts';
import type { PrincipalInfo, RequestContext } from './context.ts';
import { isExemptByNotPrincipal, matchPrincipal, type PrincipalMatch, strongerMatch } from './principal.ts';
import type { SimulatedPolicyType, StatementRef } from './types.ts';

/** The request as the evaluator reads it (action lower-cased, context and principal resolved). */
export interface EvaluationRequest {
  actionLower: string;
  resource: string;
  context: RequestContext;
  principal: PrincipalInfo | undefined;
  /** Deny statements with NotPrincipal apply to every principal that has a permissions boundary. */
  hasBoundary: boolean;
}

/** What one policy type (all its policies, all levels) contributed to the decision. */
export interface TypeEvaluation {
  /** At least one policy of this type was given. */
  present: boolean;
  /** The set (every level, for SCPs/RCPs) has an applicable Allow. */
  allowed: boolean;
  allows: StatementRef[];
  denies: StatementRef[];
  /** Allow statements whose action, resource and principal matched but whose conditions did not hold. */
  conditionMisses: StatementRef[];
  /** Resource policies: the strongest way an applicable Allow statement named the principal. */
  allowMatch: PrincipalMatch;
  warnings: string[];
}

const EMPTY_REFS: StatementRef[] = Object.freeze([]) as unknown as StatementRef[];

/** Shared (frozen) evaluation of a policy type that was not given: saves allocations on every call. */
export const NOT_PRESENT: TypeEvaluation = Object.freeze({
  present: false,
  allowed: false,
  allows: EMPTY_REFS,
  denies: EMPTY_REFS,
  conditionMisses: EMPTY_REFS,
  allowMatch: 'none',
  warnings: Object.freeze([]) as unknown as string[],
});

function newEvaluation(present: boolean): TypeEvaluation {
  return {
    present,
    allowed: false,
    allows: [],
    denies: [],
    conditionMisses: [],
    allowMatch: 'none',
    warnings: [],
  };
}

function refTo(
  st: CompiledStatement,
  type: SimulatedPolicyType,
  index: number,
  level: number | undefined,
): StatementRef {
  const ref: StatementRef = { policy: type, policyIndex: index, statementIndex: st.index };
  if (st.sid !== undefined) ref.sid = st.sid;
  if (level !== undefined) ref.level = level;
  return ref;
}

/** Appends the applicable statements of one policy to `out`; returns whether any Allow applied. */
function evaluateInto(
  policy: Policy,
  type: SimulatedPolicyType,
  index: number,
  level: number | undefined,
  req: EvaluationRequest,
  out: TypeEvaluation,
): boolean {
  let allowed = false;
  const isResourcePolicy = type === 'resource';
  for (const st of compilePolicy(policy).statementsFor(req.actionLower)) {
    if (!st.matchesResource(req.resource, req.context)) continue;
    let principalMatch: PrincipalMatch = 'direct';
    if (isResourcePolicy) {
      if (st.principal) principalMatch = matchPrincipal(st.principal, req.principal);
      else if (st.notPrincipal) {
        // IAM User Guide, "Permissions boundaries": a Deny with NotPrincipal always denies a principal
        // that has a permissions boundary, whatever NotPrincipal lists.
        const exempt = isExemptByNotPrincipal(st.notPrincipal, req.principal);
        principalMatch = exempt && !(st.effect === 'Deny' && req.hasBoundary) ? 'none' : 'direct';
      } else principalMatch = 'none';
      if (principalMatch === 'none') continue;
    }
    const outcome = st.conditions.length === 0 ? true : evaluateConditions(st.conditions, req.context);
    if (outcome === false) {
      if (st.effect === 'Allow') out.conditionMisses.push(refTo(st, type, index, level));
      continue;
    }
    if (outcome === 'unsupported') {
      const ops = [...new Set(st.conditions.filter((c) => !c.operator).map((c) => c.operatorName))].join(
        ', ',
      );
      const effect = st.effect === 'Allow' ? 'the statement does not allow' : 'the statement denies';
      out.warnings.push(
        `${type} policy ${index} statement ${st.index}: unknown condition operator ${ops}; ${effect} (fail closed)`,
      );
      if (st.effect === 'Allow') continue;
    }
    const ref = refTo(st, type, index, level);
    if (st.effect === 'Deny') out.denies.push(ref);
    else {
      out.allows.push(ref);
      allowed = true;
      out.allowMatch = strongerMatch(out.allowMatch, principalMatch);
    }
  }
  return allowed;
}

/** Evaluates a set of policies of one type; any applicable Allow in any of them allows. */
export function evaluateType(
  policies: readonly Policy[],
  type: SimulatedPolicyType,
  req: EvaluationRequest,
): TypeEvaluation {
  if (policies.length === 0) return NOT_PRESENT;
  const out = newEvaluation(true);
  for (let i = 0; i < policies.length; i++) {
    if (evaluateInto(policies[i]!, type, i, undefined, req, out)) out.allowed = true;
  }
  return out;
}

/** SCPs/RCPs: a flat array is one level; every level must contain an applicable Allow. */
export function evaluateLevels(
  input: readonly Policy[][] | readonly Policy[] | undefined,
  type: 'scp' | 'rcp',
  req: EvaluationRequest,
): TypeEvaluation {
  const levels = (!input?.length ? [] : Array.isArray(input[0]) ? input : [input]) as readonly Policy[][];
  if (levels.length === 0) return NOT_PRESENT;
  const out = newEvaluation(true);
  out.allowed = true;
  for (let l = 0; l < levels.length; l++) {
    const level = levels[l]!;
    let levelAllows = false;
    for (let i = 0; i < level.length; i++) {
      if (evaluateInto(level[i]!, type, i, l, req, out)) levelAllows = true;
    }
    if (!levelAllows) out.allowed = false;
  }
  return out;
}
