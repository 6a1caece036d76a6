/**
 * Matching the requesting principal against a resource policy's Principal / NotPrincipal element.
 * Source: IAM User Guide, "AWS JSON policy elements: Principal" and "Policy evaluation logic" (same-account
 * resource-based policies): naming the IAM user or the session itself grants directly; naming the role ARN
 * covers the role's sessions but stays limited by boundaries and session policies; naming the account
 * (`123456789012` or `arn:aws:iam::123456789012:root`) delegates to the account's identity-based policies.
 */
import type { Principal } from '../types.ts';
import type { PrincipalInfo } from './context.ts';

/** How a Principal element matched, strongest first. */
export const PRINCIPAL_MATCHES = ['direct', 'role', 'account', 'none'] as const;
export type PrincipalMatch = (typeof PRINCIPAL_MATCHES)[number];

const RANK: Record<PrincipalMatch, number> = { direct: 3, role: 2, account: 1, none: 0 };

/** The stronger of two matches. */
export function strongerMatch(a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch {
  return RANK[a] >= RANK[b] ? a : b;
}

const ROOT_RE = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_RE = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

function matchAwsEntry(entry: string, who: PrincipalInfo): PrincipalMatch {
  if (entry === '*') return 'direct';
  // A role acts only through sessions: naming its ARN is a role grant even when the caller is given as the role.
  if (entry === who.arn && who.kind !== 'role') return 'direct';
  const account = /^\d{12}$/.test(entry) ? entry : ROOT_RE.exec(entry)?.[1];
  if (account !== undefined) {
    if (who.kind === 'root' && who.account === account) return 'direct';
    return who.account === account ? 'account' : 'none';
  }
  const role = ROLE_RE.exec(entry);
  // A session ARN does not carry the role's path, so roles are compared by partition, account and name.
  if (role && (who.kind === 'role-session' || who.kind === 'role')) {
    const [, partition, account, name] = role;
    if (who.partition === partition && who.account === account && who.name === name) {
      return 'role';
    }
  }
  return 'none';
}

/**
 * How strongly the Principal element names the requester. `undefined` requester (principal not given) is only
 * matched by `*`.
 */
export function matchPrincipal(principal: Principal, who: PrincipalInfo | undefined): PrincipalMatch {
  if (principal === '*') return 'direct';
  let best: PrincipalMatch = 'none';
  for (const entry of principal.AWS ?? []) {
    if (entry === '*') return 'direct';
    if (who) best = strongerMatch(best, matchAwsEntry(entry, who));
  }
  if (who) {
    for (const list of [principal.Service, principal.Federated, principal.CanonicalUser]) {
      if (list?.some((entry) => entry === '*' || entry === who.arn)) return 'direct';
    }
  }
  return best;
}

function listsExactly(entries: readonly string[], arn: string): boolean {
  return entries.some((entry) => entry === arn);
}

/**
 * NotPrincipal: true when the requester is exempted. AWS may validate the account, then the role, then the
 * session, so (following "AWS JSON policy elements: NotPrincipal") every link of that chain must be listed:
 * a user needs the user ARN and the account; a role session the session ARN, the role ARN and the account.
 */
export function isExemptByNotPrincipal(notPrincipal: Principal, who: PrincipalInfo | undefined): boolean {
  if (notPrincipal === '*') return true;
  const aws = notPrincipal.AWS ?? [];
  if (aws.includes('*')) return true;
  if (!who) return false;
  if (who.kind === 'service' || who.kind === 'unknown') {
    return [notPrincipal.Service, notPrincipal.Federated, notPrincipal.CanonicalUser, aws].some(
      (list) => list !== undefined && listsExactly(list, who.arn),
    );
  }
  const accountListed = aws.some(
    (entry) => entry === who.account || ROOT_RE.exec(entry)?.[1] === who.account,
  );
  if (!accountListed) return false;
  if (who.kind === 'root') return true;
  if (who.kind === 'role-session' || who.kind === 'role') {
    const roleListed = aws.some((entry) => {
      const role = ROLE_RE.exec(entry);
      return role !== null && role[1] === who.partition && role[2] === who.account && role[3] === who.name;
    });
    return roleListed && (who.kind === 'role' || listsExactly(aws, who.arn));
  }
  return listsExactly(aws, who.arn);
}
