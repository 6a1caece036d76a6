import type { Result } from '../lib/result.ts';
import { inferPolicyKind } from '../policy/kind.ts';
import { statementPointer } from '../policy/parse.ts';
import type {
  Finding,
  ParsedPolicy,
  ParseIssue,
  Policy,
  PolicyKind,
  RiskContext,
  RiskReview,
} from '../policy/types.ts';
import type { ExtractedPolicy, InputError } from './extract/types.ts';
import { fingerprintPolicy, type PolicyReport } from './report.ts';

/** The policy engine functions the CLI runs; injected so each command wires only what it needs. */
export interface PolicyEngine {
  parsePolicy(input: unknown): Result<ParsedPolicy, ParseIssue[]>;
  scorePolicy?(policy: Policy, context?: RiskContext): RiskReview;
  validatePolicy?(parsed: ParsedPolicy | Policy, options?: { kind?: PolicyKind }): Finding[];
}

export interface AnalyseOptions {
  /** Forces the policy kind; by default it comes from where the policy was found, or is detected. */
  kind?: PolicyKind;
  /** Scoring context (access type, duration); `kind` is filled in per policy. */
  context?: Omit<RiskContext, 'kind'>;
}

/**
 * Parses, classifies, validates and scores extracted policies with the given engine functions. A policy the
 * parser rejects becomes an `InputError` at the offending element's line; never throws for bad input.
 */
export function analysePolicies(
  extracted: readonly ExtractedPolicy[],
  engine: PolicyEngine,
  { kind, context = {} }: AnalyseOptions = {},
): { reports: PolicyReport[]; errors: InputError[] } {
  const reports: PolicyReport[] = [];
  const errors: InputError[] = [];
  for (const item of extracted) {
    const parsed = engine.parsePolicy(item.document);
    if (!parsed.ok) {
      for (const issue of parsed.error) {
        const at = item.locate(issue.path ?? '');
        errors.push({ file: item.file, ...at, message: `${item.name}: ${issue.message}` });
      }
      continue;
    }
    const policy = parsed.value.policy;
    const policyKind = kind ?? item.kind ?? inferPolicyKind(policy);
    const findings = (engine.validatePolicy?.(parsed.value, { kind: policyKind }) ?? []).map((f) => ({
      ...f,
      ...item.locate(f.path),
    }));
    const review = engine.scorePolicy?.(policy, { ...context, kind: policyKind });
    reports.push({
      name: item.name,
      file: item.file,
      source: item.source,
      kind: policyKind,
      line: item.position.line,
      column: item.position.column,
      fingerprint: fingerprintPolicy(item.document),
      ...(review ? { review } : {}),
      findings,
      statementLines: policy.statements.map((s) => item.locate(statementPointer(policy, s.index)).line),
    });
  }
  return { reports, errors };
}
