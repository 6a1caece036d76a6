/** Human-readable reasons for simulation results (English, one sentence). */
import type { SimulatedPolicyType, StatementRef } from './types.ts';

const TYPE_NAMES: Record<SimulatedPolicyType, string> = {
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  scp: 'SCP',
  rcp: 'RCP',
  resource: 'resource-based policy',
  session: 'session policy',
};

/** `identity-based policy 0 statement 1 (Sid)`, joined with commas. */
export function describeRefs(refs: readonly StatementRef[]): string {
  if (!refs.length) return 'no statement';
  return refs
    .map((r) => {
      const level = r.level !== undefined ? ` at level ${r.level}` : '';
      const policy = r.policy === 'boundary' || r.policy === 'resource' ? '' : ` ${r.policyIndex}`;
      const sid = r.sid ? ` (${r.sid})` : '';
      return `${TYPE_NAMES[r.policy]}${policy}${level} statement ${r.statementIndex}${sid}`;
    })
    .join(', ');
}

/** What was asked, for reasons. */
export interface Asked {
  action: string;
  resource: string;
}

/**
 * Reason for an implicit deny at one gate of the evaluation, naming the Allow statements that matched the
 * action and resource but whose conditions did not hold (the usual "why was I denied" answer).
 */
export function gateReason(
  type: SimulatedPolicyType,
  asked: Asked,
  misses: readonly StatementRef[] = [],
  crossAccount = false,
): string {
  const what = `${asked.action} on ${asked.resource}`;
  let text: string;
  switch (type) {
    case 'scp':
      text = `no SCP allows ${what} at every level of the organization`;
      break;
    case 'rcp':
      text = `no RCP allows ${what} at every level of the organization`;
      break;
    case 'boundary':
      text = `the permissions boundary does not allow ${what}`;
      break;
    case 'session':
      text = `no session policy allows ${what}`;
      break;
    case 'resource':
      text = crossAccount
        ? `cross-account access needs the resource-based policy to allow ${what} for the principal, and it does not`
        : `the resource-based policy does not allow ${what} for this principal`;
      break;
    default:
      text = `no identity-based policy allows ${what}`;
  }
  const near = misses.length
    ? ` (${describeRefs(misses)} matched but ${misses.length === 1 ? 'its conditions do' : 'their conditions do'} not hold)`
    : '';
  return `Implicitly denied: ${text}${near}.`;
}
