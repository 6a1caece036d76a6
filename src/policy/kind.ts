/**
 * Infers what kind of policy a document is when the caller did not say. One rule for every surface (validation,
 * scoring, the CLI, requests) so a document is never an identity policy to one and a trust policy to another.
 */
import { actionPatternMatches } from './expand.ts';
import type { Policy, PolicyKind, Statement } from './types.ts';

/** Actions a role trust policy grants (IAM User Guide, "Role trust policies" and "Passing session tags"). */
const TRUST_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
  'sts:SetSourceIdentity',
  'sts:SetContext',
] as const;

function hasPrincipal(s: Statement): boolean {
  return s.principal !== undefined || s.notPrincipal !== undefined;
}

/** True when every action pattern of the statement is an `sts:` pattern matching a trust action. */
function isTrustStatement(s: Statement): boolean {
  const actions = s.action ?? [];
  return (
    actions.length > 0 &&
    actions.every(
      (p) => p.toLowerCase().startsWith('sts:') && TRUST_ACTIONS.some((a) => actionPatternMatches(p, a)),
    )
  );
}

/**
 * `identity` when any statement lacks a Principal (a mixed document is an identity policy whose Principal
 * elements are errors); otherwise `trust` when every statement grants only role-assumption actions
 * (`sts:AssumeRole*`, `sts:TagSession`, …; a bare `*` does not count), else `resource`.
 */
export function inferPolicyKind(policy: Policy): PolicyKind {
  if (policy.statements.length === 0 || !policy.statements.every(hasPrincipal)) return 'identity';
  return policy.statements.every(isTrustStatement) ? 'trust' : 'resource';
}
