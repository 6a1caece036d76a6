/**
 * The effective grants of a policy for scoring: for every Allow statement, the concrete actions it allows on
 * the resources those actions can apply to, minus what unconditional Deny statements certainly remove, each
 * tagged "wide" or narrow. A Deny removes an action only when it names the action (Action or NotAction
 * complement), has no Condition, no NotResource, no Principal other than "*", and its resources cover every
 * resource the Allow gives that action (resources.ts `denyCovers`). Anything less certain removes nothing.
 *
 * A statement whose resources include `*` while no Deny applies is *uniform*: every action gets `*` at the same
 * scope, and the scorer works on its cached bucket index instead of one grant per action.
 */
import { expandStatementActions } from '../expand.ts';
import type { Policy, Statement } from '../types.ts';
import { type ActionRisk, actionRisk } from './action-flags.ts';
import { type ActionIndex, indexActions } from './buckets.ts';
import { type ConditionSummary, summariseConditions } from './conditions.ts';
import { appliesToService, denyCovers, isAnyResource, isWideResource, resourceService } from './resources.ts';

/** One action allowed by one Allow statement, with the resource shown as evidence and its scope. */
export interface Grant {
  statementIndex: number;
  action: ActionRisk;
  /** The resource pattern shown as evidence: the widest applicable one (`NotResource` statements show `*`). */
  resource: string;
  wide: boolean;
}

/** An Allow statement with what it effectively grants. */
export interface AllowStatement {
  statement: Statement;
  conditions: ConditionSummary;
  /** Set for uniform statements: all of `index.actions` are granted on `resource` with scope `wide`. */
  uniform?: { index: ActionIndex; resource: string; wide: boolean };
  /** Per-action grants of non-uniform statements (empty for uniform ones). */
  grants: Grant[];
  /** Number of actions granted. */
  granted: number;
  /** True when every granted action reaches a wide resource scope. */
  allWide: boolean;
}

interface DenyRule {
  actions: ReadonlySet<string>;
  resources: readonly string[];
}

const indexCache = new Map<string, ActionIndex>();
const MAX_INDEX_CACHE = 5000;
const idSets = new WeakMap<ActionIndex, ReadonlySet<string>>();

/** The catalog actions of a statement's Action/NotAction, indexed by bucket (cached per pattern list). */
export function statementIndex(st: Statement): ActionIndex {
  const patterns = st.action ?? st.notAction ?? [];
  const key = `${st.action ? 'A' : 'N'}\n${patterns.join('\n').toLowerCase()}`;
  let cached = indexCache.get(key);
  if (!cached) {
    const list: ActionRisk[] = [];
    for (const expanded of expandStatementActions(st)) {
      const risk = actionRisk(expanded.action);
      if (risk) list.push(risk);
    }
    cached = indexActions(Object.freeze(list));
    if (indexCache.size >= MAX_INDEX_CACHE) indexCache.clear();
    indexCache.set(key, cached);
  }
  return cached;
}

function actionIds(index: ActionIndex): ReadonlySet<string> {
  let ids = idSets.get(index);
  if (!ids) {
    ids = new Set(index.actions.map((a) => a.id));
    idSets.set(index, ids);
  }
  return ids;
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
    const actions = actionIds(statementIndex(st));
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
  /** See resources.ts `resourceService`. */
  service: string;
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
    return { pattern, service: resourceService(pattern), wide: isWideResource(pattern), deniedBy };
  });
}

function grantFor(
  index: number,
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
    if ((r.deniedBy & deniedMask) !== 0 || !appliesToService(action, r.service)) continue;
    first ??= r;
    if (r.wide) {
      widest = r;
      break;
    }
  }
  if (!first) return undefined;
  return {
    statementIndex: index,
    action,
    resource: (widest ?? first).pattern,
    wide: !scoped && widest !== undefined,
  };
}

/** The grants of an Allow statement, one per action (materialises uniform statements). */
export function grantsOf(allow: AllowStatement): readonly Grant[] {
  const u = allow.uniform;
  if (!u) return allow.grants;
  const statementIndex = allow.statement.index;
  return u.index.actions.map((action) => ({ statementIndex, action, resource: u.resource, wide: u.wide }));
}

/** The Allow statements of `policy` with their effective grants (fully denied statements grant nothing). */
export function analyseAllowStatements(policy: Policy): AllowStatement[] {
  const denies = denyRules(policy);
  const out: AllowStatement[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    const conditions = summariseConditions(st.condition);
    const resources = allowResources(st);
    const index = statementIndex(st);
    const anyResource = resources.find(isAnyResource);
    if (anyResource !== undefined && denies.length === 0) {
      const wide = !conditions.scoping;
      const granted = index.actions.length;
      out.push({
        statement: st,
        conditions,
        uniform: { index, resource: anyResource, wide },
        grants: [],
        granted,
        allWide: wide || granted === 0,
      });
      continue;
    }
    const infos = resourceInfos(resources, denies);
    const grants: Grant[] = [];
    for (const action of index.actions) {
      const grant = grantFor(st.index, action, infos, denies, conditions.scoping);
      if (grant) grants.push(grant);
    }
    out.push({
      statement: st,
      conditions,
      grants,
      granted: grants.length,
      allWide: grants.every((g) => g.wide),
    });
  }
  return out;
}
