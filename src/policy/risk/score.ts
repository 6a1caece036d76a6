/**
 * The risk score of an IAM policy: 1 (harmless) to 10 (full administrator), explained by factors whose points
 * add up to the score. Model and weights: model.ts; docs/policy/risk-score.md.
 */
import { expandActionPatterns } from '../expand.ts';
import { inferPolicyKind } from '../kind.ts';
import type { Policy, RiskContext, RiskReview } from '../types.ts';
import { MUTATING } from './action-flags.ts';
import { combineFactors } from './combine.ts';
import { collectActionFamilies, type Extensions } from './factors/action-families.ts';
import { collectEscalation } from './factors/escalation.ts';
import type { Hits } from './factors/hits.ts';
import { collectStatementShape } from './factors/statement-shape.ts';
import { collectTrust } from './factors/trust.ts';
import { analyseAllowStatements } from './grants.ts';

const NO_EXTENSIONS: Extensions = { highImpactActions: new Set(), sensitiveServices: new Set() };

function extensionsOf(context: RiskContext): Extensions {
  const actions = context.extraHighImpactActions ?? [];
  const services = context.extraSensitiveServices ?? [];
  if (actions.length === 0 && services.length === 0) return NO_EXTENSIONS;
  return {
    highImpactActions: new Set(expandActionPatterns(actions).map((a) => a.action)),
    sensitiveServices: new Set(services.map((s) => s.toLowerCase())),
  };
}

/**
 * Scores `policy` in `context` (policy kind — inferred by `inferPolicyKind` when absent —, access type,
 * duration, environment, admin extensions).
 * Pure and deterministic; never throws for a well-formed `Policy`. Identity, resource, SCP, boundary and session
 * policies are scored by what they allow; trust policies (`kind: 'trust'`) by who may assume the role.
 * Adding an Allow statement never lowers the score; a Deny lowers it only by what it certainly removes.
 */
export function scorePolicy(policy: Policy, context: RiskContext = {}): RiskReview {
  const kind = context.kind ?? inferPolicyKind(policy);
  const hits: Hits = new Map();
  let mutating = false;
  if (kind === 'trust') {
    for (const st of policy.statements) if (st.effect === 'Allow') collectTrust(st, hits, context.accountId);
  } else {
    const allows = analyseAllowStatements(policy);
    for (const allow of allows) collectStatementShape(allow, hits, kind);
    collectActionFamilies(allows, hits, context, extensionsOf(context));
    collectEscalation(allows, hits);
    mutating = allows.some((a) =>
      a.uniform ? a.uniform.index.mutating : a.grants.some((g) => (g.action.flags & MUTATING) !== 0),
    );
  }
  return combineFactors(hits, context, { mutating });
}
