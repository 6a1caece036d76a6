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

/** Reason for an implicit deny at one gate of the evaluation. */
export function gateReason(type: SimulatedPolicyType, action: string, crossAccount = false): string {
  switch (type) {
    case 'scp':
      return `Implicitly denied: no SCP allows ${action} at every level of the organization.`;
    case 'rcp':
      return `Implicitly denied: no RCP allows ${action} at every level of the organization.`;
    case 'boundary':
      return `Implicitly denied: the permissions boundary does not allow ${action}.`;
    case 'session':
      return `Implicitly denied: no session policy allows ${action}.`;
    case 'resource':
      return crossAccount
        ? `Implicitly denied: cross-account access needs the resource-based policy to allow ${action} for the principal, and it does not.`
        : `Implicitly denied: no resource-based policy allows ${action} for this principal.`;
    default:
      return `Implicitly denied: no identity-based policy allows ${action}.`;
  }
}
