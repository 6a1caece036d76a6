/**
 * `validatePolicy`: the policy linter of iam-jit, modelled on IAM Access Analyzer's policy validation and
 * parliament. Pure: data in, findings out, never throws on policy content. The catalog of codes is in codes.ts and
 * docs/policy/validate.md.
 */
import { inferPolicyKind } from '../kind.ts';
import type { Finding, ParsedPolicy, ParseIssue, Policy, PolicyKind, Statement } from '../types.ts';
import { checkActions } from './check-actions.ts';
import { checkConditions } from './check-conditions.ts';
import { checkPrincipals } from './check-principals.ts';
import { checkRedundantStatements } from './check-redundancy.ts';
import { checkResources } from './check-resources.ts';
import { checkDocument, checkStatements } from './check-structure.ts';
import { FINDING_CODES } from './codes.ts';
import { createContext, isRawObject } from './context.ts';
import { checkSize, type IdentityPolicyType } from './size.ts';

/** Options of `validatePolicy`; all optional. */
export interface ValidateOptions {
  /** What the policy is; inferred from the statements when omitted (see `inferPolicyKind`). */
  kind?: PolicyKind;
  /** For identity policies: where it will be attached, which sets the size quota. Default `inline-role`. */
  identityPolicyType?: IdentityPolicyType;
}

function isParsed(input: ParsedPolicy | Policy): input is ParsedPolicy {
  return 'policy' in input && 'sourceMap' in input;
}

function statementDocument(s: Statement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.sid !== undefined) out.Sid = s.sid;
  out.Effect = s.effect;
  if (s.principal !== undefined) out.Principal = s.principal;
  if (s.notPrincipal !== undefined) out.NotPrincipal = s.notPrincipal;
  if (s.action !== undefined) out.Action = s.action;
  if (s.notAction !== undefined) out.NotAction = s.notAction;
  if (s.resource !== undefined) out.Resource = s.resource;
  if (s.notResource !== undefined) out.NotResource = s.notResource;
  if (s.condition !== undefined) out.Condition = s.condition;
  return out;
}

/** The IAM JSON form of a normalised policy (used to size a bare `Policy`). */
export function policyDocument(policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (policy.version !== undefined) out.Version = policy.version;
  if (policy.id !== undefined) out.Id = policy.id;
  const statements = policy.statements.map(statementDocument);
  out.Statement = policy.statementIsObject && statements.length === 1 ? statements[0] : statements;
  return out;
}

const SEVERITY_RANK = { error: 0, warning: 1, suggestion: 2 } as const;

/**
 * Validates a parsed policy (or a bare normalised `Policy`) and returns its findings, ordered by statement (document
 * findings first), then severity. Paths are JSON pointers into the original document. An empty array means no
 * finding. Never throws for any policy content.
 */
export function validatePolicy(parsed: ParsedPolicy | Policy, options: ValidateOptions = {}): Finding[] {
  const policy = isParsed(parsed) ? parsed.policy : parsed;
  const raw = isParsed(parsed) && isRawObject(parsed.raw) ? parsed.raw : undefined;
  const kind = options.kind ?? inferPolicyKind(policy);
  const ctx = createContext(policy, raw, kind, options.kind !== undefined);
  checkDocument(ctx);
  checkStatements(ctx);
  checkPrincipals(ctx);
  checkActions(ctx);
  checkResources(ctx);
  checkConditions(ctx);
  checkRedundantStatements(ctx);
  checkSize(ctx, raw ?? policyDocument(policy), kind, options.identityPolicyType ?? 'inline-role');
  return ctx.findings
    .map((f, order) => ({ f, order }))
    .sort(
      (a, b) =>
        (a.f.statementIndex ?? -1) - (b.f.statementIndex ?? -1) ||
        SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] ||
        a.order - b.order,
    )
    .map(({ f }) => f);
}

/**
 * Turns `parsePolicy` issues into findings, so callers can report unparseable documents the same way:
 * malformed JSON → JSON_SYNTAX_ERROR (no path), structural problems → INVALID_POLICY_STRUCTURE at the issue's path.
 */
export function findingsFromParseIssues(issues: readonly ParseIssue[]): Finding[] {
  return issues.map((issue) => {
    const code = issue.code;
    return {
      code,
      severity: FINDING_CODES[code].severity,
      message: `${issue.message} (line ${issue.line}, column ${issue.column})`,
      path: issue.path ?? '',
    };
  });
}
