/**
 * Evaluates one policy against a request: which Allow and which Deny statements apply.
 * A statement applies when its action, resource, principal (resource policies only) and all its conditions
 * match. Fail closed: a statement whose conditions use an unknown operator never allows, and denies.
 */
import type { Policy } from '../types.ts';
import { compilePolicy } from './compile.ts';
import { evaluateConditions } from './conditions.ts';
import type { PrincipalInfo, RequestContext } from './context.ts';
import { isExemptByNotPrincipal, matchPrincipal, type PrincipalMatch, strongerMatch } from './principal.ts';
import type { SimulatedPolicyType, StatementRef } from './types.ts';

export interface EvaluationRequest {
  actionLower: string;
  resource: string;
  context: RequestContext;
  principal: PrincipalInfo | undefined;
  /** Deny statements with NotPrincipal apply to every principal that has a permissions boundary. */
  hasBoundary: boolean;
}

export interface PolicyEvaluation {
  allows: StatementRef[];
  denies: StatementRef[];
  /** Resource policies: the strongest way an applicable Allow statement named the principal. */
  allowMatch: PrincipalMatch;
  warnings: string[];
}

/** Where a policy sits in the input, for statement references. */
export interface PolicyLocation {
  type: SimulatedPolicyType;
  index: number;
  level?: number;
}

/** Evaluates every statement of `policy` against the request. Pure; never throws for a normalised Policy. */
export function evaluatePolicy(
  policy: Policy,
  where: PolicyLocation,
  req: EvaluationRequest,
): PolicyEvaluation {
  const result: PolicyEvaluation = { allows: [], denies: [], allowMatch: 'none', warnings: [] };
  const isResourcePolicy = where.type === 'resource';
  for (const st of compilePolicy(policy).statements) {
    if (!st.matchesAction(req.actionLower)) continue;
    if (!st.matchesResource(req.resource, req.context)) continue;
    let principalMatch: PrincipalMatch = 'direct';
    if (isResourcePolicy) {
      if (st.principal) principalMatch = matchPrincipal(st.principal, req.principal);
      else if (st.notPrincipal) {
        // IAM User Guide, "Permissions boundaries": a Deny with NotPrincipal always denies a principal
        // that has a permissions boundary, whatever NotPrincipal lists.
        const excluded = isExemptByNotPrincipal(st.notPrincipal, req.principal);
        const boundaryOverride = st.effect === 'Deny' && req.hasBoundary;
        principalMatch = excluded && !boundaryOverride ? 'none' : 'direct';
      } else principalMatch = 'none';
      if (principalMatch === 'none') continue;
    }
    const outcome = evaluateConditions(st.conditions, req.context);
    if (outcome === false) continue;
    if (outcome === 'unsupported') {
      const ops = st.conditions.filter((c) => !c.operator).map((c) => c.operatorName);
      result.warnings.push(
        `${where.type} policy ${where.index} statement ${st.index}: unknown condition operator ${[...new Set(ops)].join(', ')}; ${st.effect === 'Allow' ? 'the statement does not allow' : 'the statement denies'} (fail closed)`,
      );
      if (st.effect === 'Allow') continue;
    }
    const ref: StatementRef = {
      policy: where.type,
      policyIndex: where.index,
      statementIndex: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      ...(where.level !== undefined ? { level: where.level } : {}),
    };
    if (st.effect === 'Deny') result.denies.push(ref);
    else {
      result.allows.push(ref);
      result.allowMatch = strongerMatch(result.allowMatch, principalMatch);
    }
  }
  return result;
}
