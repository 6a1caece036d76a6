import { actionPatternMatches } from '../policy/expand.ts';
import type { Policy, PolicyKind } from '../policy/types.ts';

const ASSUME_ROLE_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
] as const;

/**
 * Guesses what kind of policy a document is when the caller did not say: a statement with a `Principal`
 * that allows one of the `sts:AssumeRole*` actions makes it a role trust policy (IAM User Guide, "Role trust
 * policy"); any other `Principal` makes it a resource-based policy; otherwise it is an identity policy.
 */
export function detectPolicyKind(policy: Policy): PolicyKind {
  const withPrincipal = policy.statements.filter(
    (s) => s.principal !== undefined || s.notPrincipal !== undefined,
  );
  if (withPrincipal.length === 0) return 'identity';
  const assumesRole = withPrincipal.some((s) =>
    (s.action ?? []).some(
      // Only `sts:` patterns count: a resource policy granting `*` to a principal is not a trust policy.
      (pattern) =>
        pattern.toLowerCase().startsWith('sts:') &&
        ASSUME_ROLE_ACTIONS.some((a) => actionPatternMatches(pattern, a)),
    ),
  );
  return assumesRole ? 'trust' : 'resource';
}
