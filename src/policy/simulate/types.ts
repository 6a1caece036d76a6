/**
 * Input and output types of the IAM policy simulator (`simulate`). Pure data: the simulator never does I/O.
 * Source for the model: IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic".
 */
import type { Policy } from '../types.ts';

/** Request context values: a single string is a single-valued key, an array a multivalued key. */
export type ContextValues = Record<string, string | string[]>;

/**
 * Context values as a record or, the same read the same way, as a Map in insertion order (callers that build a large
 * context per request, like the local AWS emulator, avoid V8's slow path for objects with many computed keys).
 */
export type ContextInput = ContextValues | ReadonlyMap<string, string | readonly string[]>;

/** The request being authorised. */
export interface SimulationRequest {
  /** `service:Action`, compared case-insensitively with the policies' Action/NotAction patterns. */
  action: string;
  /** Resource ARN (or `*`), compared case-sensitively with Resource/NotResource patterns. */
  resource: string;
  /**
   * ARN of the calling principal: `arn:aws:iam::<acct>:user/<name>`, `arn:aws:sts::<acct>:assumed-role/<role>/<session>`,
   * `arn:aws:sts::<acct>:federated-user/<name>`, `arn:aws:iam::<acct>:root`, `arn:aws:iam::<acct>:role/<name>`,
   * or a service principal such as `lambda.amazonaws.com`. Omitted: an unnamed principal in the resource's account.
   */
  principal?: string;
  /**
   * Account that owns the resource. Defaults to the account field of `resource` (empty for S3, for example),
   * and when that is empty too, to the principal's account (a same-account request).
   */
  resourceAccount?: string;
  /** Condition context keys (names are case-insensitive), e.g. `{ 'aws:SourceIp': '203.0.113.7' }`. */
  context?: ContextInput;
}

/**
 * Everything the simulator evaluates. SCPs and RCPs are given per level of the organization, root first
 * (`Policy[][]`: each level must allow); a flat `Policy[]` is read as a single level.
 */
export interface SimulationInput {
  /** Identity-based policies of the principal (user/group or role policies, managed and inline). */
  identityPolicies: Policy[];
  /** The permissions boundary of the IAM user or role, if one is set. */
  permissionsBoundary?: Policy;
  /** Service control policies applying to the principal's account, one array per level (root → account). */
  scps?: Policy[][] | Policy[];
  /** Resource control policies applying to the resource's account, one array per level (root → account). */
  rcps?: Policy[][] | Policy[];
  /** The resource-based policy attached to the resource (bucket policy, key policy, trust policy, …). */
  resourcePolicy?: Policy;
  /** Session policies passed when the session was created (inline and managed together: any one may allow). */
  sessionPolicies?: Policy[];
  /**
   * True for role trust policies and KMS key policies, which "must explicitly allow access for principals":
   * the request then needs an allow from `resourcePolicy` (naming the principal or its account) even within
   * one account, on top of the usual logic.
   */
  resourcePolicyMustAllow?: boolean;
  request: SimulationRequest;
}

/** The three outcomes of IAM evaluation. */
export const DECISIONS = ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Policy types the simulator evaluates. */
export const SIMULATED_POLICY_TYPES = ['identity', 'boundary', 'scp', 'rcp', 'resource', 'session'] as const;
export type SimulatedPolicyType = (typeof SIMULATED_POLICY_TYPES)[number];

/** A statement that took part in the decision. */
export interface StatementRef {
  policy: SimulatedPolicyType;
  /** Index of the policy in its input array (0 for the boundary and the resource policy; the index within its level for SCPs/RCPs). */
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  /** Organization level of an SCP or RCP (0 = root). */
  level?: number;
}

/** What one policy type contributed. `NotPresent`: no such policy was given (it then does not limit). */
export const TYPE_OUTCOMES = ['Allow', 'ExplicitDeny', 'ImplicitDeny', 'NotPresent'] as const;
export type TypeOutcome = (typeof TYPE_OUTCOMES)[number];

/** What one policy type contributed to a decision. */
export interface PolicyTypeDetail {
  outcome: TypeOutcome;
  /** Allow statements that matched the request. */
  allows: StatementRef[];
  /** Deny statements that matched the request. */
  denies: StatementRef[];
  /** Allow statements whose action, resource and principal matched but whose conditions did not hold. */
  conditionMisses: StatementRef[];
}

/** The simulator's answer. Read-only: details of absent policy types are shared, frozen objects. */
export interface SimulationResult {
  decision: Decision;
  /** One sentence in English saying why, naming the deciding policy type. */
  reason: string;
  /** Explicit-deny statements when denied explicitly; the allow statements that carried the decision when allowed; empty for implicit denies. */
  deciding: StatementRef[];
  details: Record<SimulatedPolicyType, PolicyTypeDetail>;
  /** True when the resource is in another account than the principal (both sides must then allow). */
  crossAccount: boolean;
  /** Problems that made the simulator fail closed, e.g. an unknown condition operator. */
  warnings: string[];
}
