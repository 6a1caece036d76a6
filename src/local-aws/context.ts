import type { PolicyEvaluator } from './authorize.ts';
import type { AccountRecord, EmulatorState, Principal } from './state.ts';

/** Everything an emulated operation may use: the verified caller, the state it acts on, and the clock. */
export interface CallContext {
  state: EmulatorState;
  principal: Principal;
  /** The caller's account; IAM and SSO operations act on it. */
  account: AccountRecord;
  now: Date;
  requestId: string;
  /** Region from the SigV4 credential scope. */
  region: string;
  evaluator: PolicyEvaluator;
  /** Milliseconds before an Identity Center assignment operation leaves IN_PROGRESS. */
  assignmentDelayMs: number;
}

/** The IAM action (and resource) an operation needs; undefined when it needs none (GetCallerIdentity). */
export interface RequiredPermission {
  action: string;
  resource: string;
  /** Request-specific condition keys in lower case (`aws:resourcetag/…`, `aws:requesttag/…`, `iam:policyarn`, …). */
  context?: ReadonlyMap<string, string | string[]>;
}

/** One emulated operation over a protocol's decoded input `I`, producing the result `O`. */
export interface Operation<I, O> {
  /** What an STS session must be allowed to do to call this; omitted → no permission needed. */
  permission?: (ctx: CallContext, input: I) => RequiredPermission;
  run: (ctx: CallContext, input: I) => O | Promise<O>;
}
