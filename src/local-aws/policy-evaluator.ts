import { parsePolicy } from '../policy/parse.ts';
import { simulate } from '../policy/simulate/simulate.ts';
import type { SimulatedPolicyType, SimulationInput, SimulationResult } from '../policy/simulate/types.ts';
import type { Policy } from '../policy/types.ts';
import type { AuthorizationDecision, EvaluationQuery, PolicyEvaluator } from './authorize.ts';

const TYPE_NAMES: Record<SimulatedPolicyType, string> = {
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  scp: 'service control policy',
  rcp: 'resource control policy',
  resource: 'resource-based policy',
  session: 'session policy',
};

const TRUST_DENIAL = 'no resource-based policy allows the sts:AssumeRole action';

/** The order AWS's enforcement code checks gates in (IAM User Guide, "Policy evaluation logic"). */
const GATES: readonly SimulatedPolicyType[] = ['scp', 'rcp', 'resource', 'identity', 'boundary', 'session'];

/**
 * Words the simulator's decision the way IAM's AccessDenied messages do: `with an explicit deny in a session
 * policy`, `no identity-based policy allows the iam:GetRole action`.
 */
export function denialReason(result: SimulationResult, action: string): string {
  if (result.decision === 'ExplicitlyDenied') {
    const type = result.deciding[0]?.policy ?? 'identity';
    return `with an explicit deny in ${type === 'identity' ? 'an' : 'a'} ${TYPE_NAMES[type]}`;
  }
  const gate =
    GATES.find((g) => g !== 'resource' && result.details[g].outcome === 'ImplicitDeny') ?? 'identity';
  return `no ${TYPE_NAMES[gate]} allows the ${action} action`;
}

/**
 * The emulator's PolicyEvaluator over the policy engine (`parsePolicy` + `simulate`). Parsed documents are
 * cached by text (up to `cacheSize`, least recently used evicted first), so a changed document is parsed afresh. A document that does not parse fails closed: the call is denied.
 */
export function createPolicyEngineEvaluator({
  cacheSize = 1000,
}: {
  cacheSize?: number;
} = {}): PolicyEvaluator {
  const cache = new Map<string, Policy | null>();
  const parse = (text: string): Policy | null => {
    let policy = cache.get(text);
    if (policy === undefined) {
      const parsed = parsePolicy(text);
      policy = parsed.ok ? parsed.value.policy : null;
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    } else cache.delete(text); // least recently used first: a caller's own policies stay while others churn
    cache.set(text, policy);
    return policy;
  };
  /** The parsed documents, or undefined when one does not parse. */
  const parseAll = (texts: readonly string[]): Policy[] | undefined => {
    const out: Policy[] = [];
    for (const text of texts) {
      const policy = parse(text);
      if (!policy) return undefined;
      out.push(policy);
    }
    return out;
  };
  return {
    evaluate(query: EvaluationQuery): AuthorizationDecision {
      const identityPolicies = parseAll(query.identityPolicies);
      const sessionPolicies = parseAll(query.sessionPolicies);
      const boundary = query.permissionsBoundary === undefined ? undefined : parse(query.permissionsBoundary);
      const resource = query.resourcePolicy === undefined ? undefined : parse(query.resourcePolicy);
      if (!identityPolicies || !sessionPolicies || boundary === null || resource === null)
        return { allowed: false, reason: 'a policy document is unreadable' };
      const input: SimulationInput = {
        identityPolicies,
        request: {
          action: query.action,
          resource: query.resource,
          principal: query.principalArn,
          context: query.context,
        },
      };
      if (boundary) input.permissionsBoundary = boundary;
      if (resource) input.resourcePolicy = resource;
      if (sessionPolicies.length > 0) input.sessionPolicies = sessionPolicies;
      const result = simulate(input);
      // A role trust policy, unlike other resource-based policies, must itself allow the caller — even in the
      // same account, an identity policy alone never lets a principal assume a role (IAM User Guide, "Policy
      // evaluation logic", role trust policies).
      if (query.resourcePolicy !== undefined && result.details.resource.allows.length === 0) {
        const denied = result.decision === 'ExplicitlyDenied';
        return { allowed: false, reason: denied ? denialReason(result, query.action) : TRUST_DENIAL };
      }
      if (result.decision === 'Allowed') return { allowed: true, reason: result.reason };
      return { allowed: false, reason: denialReason(result, query.action) };
    },
  };
}
