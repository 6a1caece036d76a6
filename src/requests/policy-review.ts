/**
 * From what a requester sent (a policy, actions, or a service and access levels) to a reviewed revision body: the
 * policy document, draft notes, validation findings (plus the account rules: allowed services, read-only) and the
 * risk review in each target account's context. Pure.
 */
import type { Account } from '../accounts/account.ts';
import { BrokerError } from '../lib/errors.ts';
import { draftPolicy } from '../policy/draft.ts';
import { expandStatementActions } from '../policy/expand.ts';
import { inferPolicyKind } from '../policy/kind.ts';
import { parsePolicy } from '../policy/parse.ts';
import { scorePolicy } from '../policy/risk/score.ts';
import type { AccessLevel, Finding, Policy, PolicyKind, RiskContext, RiskReview } from '../policy/types.ts';
import { findingsFromParseIssues, validatePolicy } from '../policy/validate/validate.ts';
import type { AccessType, PolicySource, RevisionRisk } from './request.ts';

/** What the requester asked for: exactly one of these forms. */
export type PolicySpec =
  | { readonly type: 'policy'; readonly policy: unknown }
  | { readonly type: 'actions'; readonly actions: readonly string[]; readonly resources?: readonly string[] }
  | { readonly type: 'access_levels'; readonly service: string; readonly accessLevels: readonly string[] };

/** Largest policy accepted as input, in characters of its JSON text (IAM's largest quota is 10,240). */
export const MAX_POLICY_INPUT_CHARS = 65_536;

/** Admin additions to the risk model (config), applied to every score. */
export interface RiskExtensions {
  readonly extraSensitiveServices?: readonly string[];
  readonly extraHighImpactActions?: readonly string[];
}

/** A policy ready to become a revision, or the findings that block it. */
export interface PolicyOutcome {
  readonly document: unknown;
  /** Undefined when the document could not be parsed (then `findings` holds the parse errors). */
  readonly policy: Policy | undefined;
  readonly source: PolicySource;
  readonly draftNotes: readonly string[];
  /** Every finding, errors first. */
  readonly findings: readonly Finding[];
  /** True when a finding has severity `error`: such a policy cannot be submitted. */
  readonly blocked: boolean;
}

function policyText(value: unknown): number {
  return typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0);
}

function error(code: string, message: string, path: string): Finding {
  return { code, severity: 'error', message, path };
}

/**
 * Checks the account rules on a parsed policy: services outside an account's `allowedServices`
 * (`SERVICE_NOT_ALLOWED`) and, for read-only requests, Allow statements granting more than List and Read
 * (`READ_ONLY_VIOLATION`).
 */
export function accountRuleFindings(
  policy: Policy,
  accounts: readonly Account[],
  accessType: AccessType,
): Finding[] {
  const out: Finding[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    const actions = expandStatementActions(st);
    const path = `/Statement/${st.index}`;
    for (const account of accounts) {
      if (account.allowedServices === null) continue;
      const outside = [...new Set(actions.map((a) => a.service))].filter(
        (s) => !account.allowedServices?.includes(s),
      );
      if (outside.length > 0)
        out.push(
          error(
            'SERVICE_NOT_ALLOWED',
            `Account ${account.id} allows only ${account.allowedServices.join(', ')}; the statement grants ${outside.slice(0, 5).join(', ')}.`,
            path,
          ),
        );
    }
    if (accessType === 'read-only') {
      const writes = actions.filter((a) => a.accessLevel !== 'List' && a.accessLevel !== 'Read');
      if (writes.length > 0)
        out.push(
          error(
            'READ_ONLY_VIOLATION',
            `Read-only access refuses ${writes.length} action(s) beyond List and Read (${writes
              .slice(0, 5)
              .map((a) => a.action)
              .join(', ')}).`,
            path,
          ),
        );
    }
  }
  return out;
}

/**
 * Builds the policy of a revision: parses a given policy or drafts one from actions / access levels, validates it
 * as an identity policy and applies the account rules. Never throws for bad policy content (that is `blocked`
 * with findings); throws BrokerError `PolicyTooLarge` for input over `MAX_POLICY_INPUT_CHARS`.
 */
export function buildRevisionPolicy(
  spec: PolicySpec,
  { accounts, accessType }: { accounts: readonly Account[]; accessType: AccessType },
): PolicyOutcome {
  let document: unknown;
  let source: PolicySource;
  let draftNotes: string[] = [];
  if (spec.type === 'policy') {
    if (policyText(spec.policy) > MAX_POLICY_INPUT_CHARS)
      throw new BrokerError('PolicyTooLarge', `policy is larger than ${MAX_POLICY_INPUT_CHARS} characters`, {
        details: { limit: MAX_POLICY_INPUT_CHARS },
      });
    document = spec.policy;
    source = { type: 'policy' };
  } else {
    const drafted =
      spec.type === 'actions'
        ? draftPolicy({
            actions: [...spec.actions],
            resources: spec.resources && [...spec.resources],
            accessType,
          })
        : draftPolicy({
            service: spec.service,
            accessLevels: [...spec.accessLevels] as AccessLevel[],
            accessType,
          });
    source =
      spec.type === 'actions'
        ? { type: 'actions', actions: spec.actions, resources: spec.resources ?? [] }
        : { type: 'access_levels', service: spec.service, accessLevels: spec.accessLevels };
    if (!drafted.ok)
      return {
        document: undefined,
        policy: undefined,
        source,
        draftNotes,
        findings: drafted.error,
        blocked: true,
      };
    document = drafted.value.policy;
    draftNotes = drafted.value.notes;
  }
  const parsed = parsePolicy(document);
  if (!parsed.ok) {
    const findings = findingsFromParseIssues(parsed.error);
    return { document, policy: undefined, source, draftNotes, findings, blocked: true };
  }
  const raw = typeof document === 'string' ? parsed.value.raw : document;
  const findings = [
    ...validatePolicy(parsed.value, { kind: 'identity' }),
    ...accountRuleFindings(parsed.value.policy, accounts, accessType),
  ].sort((a, b) => (a.severity === 'error' ? 0 : 1) - (b.severity === 'error' ? 0 : 1));
  return {
    document: raw,
    policy: parsed.value.policy,
    source,
    draftNotes,
    findings,
    blocked: findings.some((f) => f.severity === 'error'),
  };
}

/** Scores `policy` as an identity policy once per target account and keeps the highest (ties: first account). */
export function reviewRisk(
  policy: Policy,
  accounts: readonly Account[],
  {
    durationHours,
    accessType,
    extensions = {},
  }: { durationHours: number; accessType: AccessType; extensions?: RiskExtensions },
): RevisionRisk {
  let best: RevisionRisk | undefined;
  for (const account of accounts) {
    const review = scorePolicy(policy, {
      kind: 'identity',
      durationHours,
      accessType,
      environment: account.environment,
      extraSensitiveServices: [...(extensions.extraSensitiveServices ?? [])],
      extraHighImpactActions: [...(extensions.extraHighImpactActions ?? [])],
    });
    if (best === undefined || review.score > best.score)
      best = { ...review, accountId: account.id, environment: account.environment };
  }
  if (best === undefined) throw new Error('reviewRisk: a request targets at least one account');
  return best;
}

/** Options of `analyzePolicy`. */
export interface AnalyzeOptions {
  kind?: PolicyKind;
  context?: Omit<RiskContext, 'kind' | 'extraSensitiveServices' | 'extraHighImpactActions'>;
  extensions?: RiskExtensions;
}

/** The result of analysing a bare policy: its kind, findings and (when it parses) its risk review. */
export interface PolicyAnalysis {
  readonly kind: PolicyKind;
  readonly findings: readonly Finding[];
  readonly risk: RiskReview | null;
}

/**
 * Validates and scores a bare policy of any kind (identity, trust, resource, …) with the admin risk extensions.
 * `kind` defaults to the inferred one for validation and `identity`/`trust` for scoring. Throws `PolicyTooLarge`.
 */
export function analyzePolicy(
  document: unknown,
  { kind, context = {}, extensions = {} }: AnalyzeOptions = {},
): PolicyAnalysis {
  if (policyText(document) > MAX_POLICY_INPUT_CHARS)
    throw new BrokerError('PolicyTooLarge', `policy is larger than ${MAX_POLICY_INPUT_CHARS} characters`, {
      details: { limit: MAX_POLICY_INPUT_CHARS },
    });
  const parsed = parsePolicy(document);
  if (!parsed.ok)
    return { kind: kind ?? 'identity', findings: findingsFromParseIssues(parsed.error), risk: null };
  const findings = validatePolicy(parsed.value, kind === undefined ? {} : { kind });
  const effectiveKind = kind ?? inferPolicyKind(parsed.value.policy);
  const risk = scorePolicy(parsed.value.policy, {
    ...context,
    kind: effectiveKind,
    extraSensitiveServices: [...(extensions.extraSensitiveServices ?? [])],
    extraHighImpactActions: [...(extensions.extraHighImpactActions ?? [])],
  });
  return { kind: effectiveKind, findings, risk };
}
