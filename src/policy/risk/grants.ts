/**
 * The effective grants of a policy for scoring: for every Allow statement, the concrete actions it allows on
 * the resources those actions can apply to, minus what unconditional Deny statements certainly remove, each
 * tagged "wide" or narrow. A Deny removes an action only when it names the action (Action or NotAction
 * complement), has no Condition, no NotResource, no Principal other than "*", and its resources cover every
 * resource the Allow gives that action (resources.ts `denyCovers`). Anything less certain removes nothing.
 */
import { expandStatementActions } from '../expand.ts';
import type { Policy, Statement } from '../types.ts';
import { type ActionRisk, actionRisk } from './action-flags.ts';
import { type ConditionSummary, summariseConditions } from './conditions.ts';
import { appliesTo, denyCovers, isAnyResource, isWideResource } from './resources.ts';

export interface Grant {
  statementIndex: number;
  action: ActionRisk;
  /** The resource pattern shown as evidence: the widest applicable one (`NotResource` statements show `*`). */
  resource: string;
  wide: boolean;
}

export interface AllowStatement {
  statement: Statement;
  conditions: ConditionSummary;
  grants: Grant[];
}

interface DenyRule {
  actions: Set<string>;
  resources: readonly string[];
}

const riskCache = new Map<string, readonly ActionRisk[]>();
const MAX_RISK_CACHE = 5000;

/** The catalog actions of a statement's Action/NotAction with their risk data (cached per pattern list). */
function statementActions(st: Statement): readonly ActionRisk[] {
  const patterns = st.action ?? st.notAction;
  if (!patterns) return [];
  const key = `${st.action ? 'A' : 'N'}\n${patterns.join('\n').toLowerCase()}`;
  let cached = riskCache.get(key);
  if (!cached) {
    const list: ActionRisk[] = [];
    for (const expanded of expandStatementActions(st)) {
      const risk = actionRisk(expanded.action);
      if (risk) list.push(risk);
    }
    cached = Object.freeze(list);
    if (riskCache.size >= MAX_RISK_CACHE) riskCache.clear();
    riskCache.set(key, cached);
  }
  return cached;
}

function isUnrestrictedPrincipal(st: Statement): boolean {
  if (st.notPrincipal) return false;
  const p = st.principal;
  return p === undefined || p === '*' || (p.AWS?.includes('*') ?? false);
}

function denyRules(policy: Policy): DenyRule[] {
  const rules: DenyRule[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Deny' || st.condition || st.notResource || !isUnrestrictedPrincipal(st)) continue;
    const actions = new Set(statementActions(st).map((a) => a.id));
    if (actions.size > 0) rules.push({ actions, resources: st.resource ?? ['*'] });
  }
  return rules;
}

/** Resources of an Allow statement as the scorer sees them: NotResource and a missing Resource count as `*`. */
function allowResources(st: Statement): readonly string[] {
  if (st.notResource || !st.resource || st.resource.length === 0) return ['*'];
  return st.resource;
}

/** A statement's resources with what the scorer needs to know about each, computed once per statement. */
interface ResourceInfo {
  pattern: string;
  wide: boolean;
  /** Bit i set when deny rule i certainly covers this resource. */
  deniedBy: number;
}

function resourceInfos(resources: readonly string[], denies: readonly DenyRule[]): ResourceInfo[] {
  return resources.map((pattern) => {
    let deniedBy = 0;
    denies.forEach((deny, i) => {
      if (i < 31 && deny.resources.some((d) => denyCovers(d, pattern))) deniedBy |= 1 << i;
    });
    return { pattern, wide: isWideResource(pattern), deniedBy };
  });
}

function grantFor(
  st: Statement,
  action: ActionRisk,
  resources: readonly ResourceInfo[],
  denies: readonly DenyRule[],
  scoped: boolean,
): Grant | undefined {
  // Deny rules beyond the 31st are ignored (they could only remove more): fail closed.
  let deniedMask = 0;
  for (let i = 0; i < denies.length && i < 31; i++)
    if (denies[i]?.actions.has(action.id)) deniedMask |= 1 << i;
  let first: ResourceInfo | undefined;
  let widest: ResourceInfo | undefined;
  for (const r of resources) {
    if ((r.deniedBy & deniedMask) !== 0 || !appliesTo(action, r.pattern)) continue;
    first ??= r;
    if (r.wide) {
      widest = r;
      break;
    }
  }
  if (!first) return undefined;
  return {
    statementIndex: st.index,
    action,
    resource: (widest ?? first).pattern,
    wide: !scoped && widest !== undefined,
  };
}

/** The Allow statements of `policy` with their effective grants (statements whose grants were all denied keep an empty list). */
export function analyseAllowStatements(policy: Policy): AllowStatement[] {
  const denies = denyRules(policy);
  const out: AllowStatement[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    const conditions = summariseConditions(st.condition);
    const resources = allowResources(st);
    const actions = statementActions(st);
    const grants: Grant[] = [];
    const anyResource = resources.find(isAnyResource);
    if (anyResource !== undefined && denies.length === 0) {
      // Fast path: `*` applies to every action and nothing is denied.
      const wide = !conditions.scoping;
      for (const action of actions)
        grants.push({ statementIndex: st.index, action, resource: anyResource, wide });
    } else {
      const infos = resourceInfos(resources, denies);
      for (const action of actions) {
        const grant = grantFor(st, action, infos, denies, conditions.scoping);
        if (grant) grants.push(grant);
      }
    }
    out.push({ statement: st, conditions, grants });
  }
  return out;
}
