/**
 * Differences between two versions of a policy, as a reviewer needs them: which concrete actions (after wildcard
 * and NotAction expansion) were granted or taken away, on which resources, under which conditions/principals,
 * and how the risk score moved. Resources and conditions are compared as written (`*` → one ARN is "`*`
 * removed, the ARN added"), not by semantic containment. Pure; never throws.
 */
import { accessLevelOf } from './draft.ts';
import { expandStatementActions } from './expand.ts';
import { scorePolicy } from './risk/score.ts';
import type {
  AccessLevel,
  ConditionBlock,
  Effect,
  ExpandedAction,
  Policy,
  Principal,
  RiskContext,
  RiskReview,
  Statement,
} from './types.ts';

/** Resource key for statements without Resource/NotResource (trust and other resource policies). */
export const IMPLICIT_RESOURCE = '(implicit)';

export interface ActionChange {
  action: string;
  service: string;
  accessLevel: AccessLevel;
  /** Resources the action is (after: newly; before: no longer) granted on. */
  resources: string[];
}

export interface ResourceChange {
  action: string;
  accessLevel: AccessLevel;
  added: string[];
  removed: string[];
}

/** What qualifies a grant besides action and resource. Empty object = unconditional. */
export interface GrantQualifier {
  condition?: ConditionBlock;
  principal?: Principal;
  notPrincipal?: Principal;
}

/** A change of the conditions (or principals) under which the same actions are granted on one resource. */
export interface ConditionChange {
  actions: string[];
  resource: string;
  before: GrantQualifier[];
  after: GrantQualifier[];
}

export interface EffectDiff {
  actionsAdded: ActionChange[];
  actionsRemoved: ActionChange[];
  resourceChanges: ResourceChange[];
  conditionChanges: ConditionChange[];
}

export interface ScoreDelta {
  before: RiskReview;
  after: RiskReview;
  /** after.score − before.score. */
  delta: number;
}

export interface PolicyDiff extends EffectDiff {
  /** The same comparison for Deny statements (an added Deny takes access away). */
  deny: EffectDiff;
  /** Risk reviews of both versions; absent only when scoring was turned off (`scorer: null`). */
  score?: ScoreDelta;
  unchanged: boolean;
  /** One line for humans, e.g. `+2 actions (Write 2), -1 action, 1 resource change; score 3 → 6 (+3)`. */
  summary: string;
}

/** Scores a policy; the risk engine's `scorePolicy` has this shape. */
export type PolicyScorer = (policy: Policy, context?: RiskContext) => RiskReview;

interface ActionGrants {
  expanded: ExpandedAction;
  /** resource → qualifier keys ('' = unconditional). */
  resources: Map<string, Set<string>>;
}

/** JSON with object keys sorted, so equal qualifiers compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function qualifierOf(st: Statement): GrantQualifier {
  return {
    ...(st.condition && Object.keys(st.condition).length > 0 ? { condition: st.condition } : {}),
    ...(st.principal !== undefined ? { principal: st.principal } : {}),
    ...(st.notPrincipal !== undefined ? { notPrincipal: st.notPrincipal } : {}),
  };
}

function resourcesOf(st: Statement): string[] {
  if (st.resource) return st.resource;
  if (st.notResource) return [`NotResource ${[...st.notResource].sort().join(', ')}`];
  return [IMPLICIT_RESOURCE];
}

function grantsOf(
  policy: Policy,
  effect: Effect,
  qualifiers: Map<string, GrantQualifier>,
): Map<string, ActionGrants> {
  const grants = new Map<string, ActionGrants>();
  for (const st of policy.statements) {
    if (st.effect !== effect) continue;
    const qualifier = qualifierOf(st);
    const qKey = Object.keys(qualifier).length === 0 ? '' : canonical(qualifier);
    qualifiers.set(qKey, qualifier);
    const resources = resourcesOf(st);
    for (const expanded of expandStatementActions(st)) {
      let entry = grants.get(expanded.action);
      if (!entry) {
        entry = { expanded, resources: new Map() };
        grants.set(expanded.action, entry);
      }
      for (const r of resources) {
        let set = entry.resources.get(r);
        if (!set) {
          set = new Set();
          entry.resources.set(r, set);
        }
        set.add(qKey);
      }
    }
  }
  return grants;
}

function levelOf(a: ExpandedAction): AccessLevel {
  return accessLevelOf(a.accessLevel) ?? 'Write';
}

function change(g: ActionGrants): ActionChange {
  const { action, service } = g.expanded;
  return { action, service, accessLevel: levelOf(g.expanded), resources: [...g.resources.keys()] };
}

function byAction<T extends { action: string }>(a: T, b: T): number {
  return a.action < b.action ? -1 : a.action > b.action ? 1 : 0;
}

function diffEffect(before: Policy, after: Policy, effect: Effect): EffectDiff {
  const qualifiers = new Map<string, GrantQualifier>();
  const b = grantsOf(before, effect, qualifiers);
  const a = grantsOf(after, effect, qualifiers);
  const actionsAdded = [...a.values()].filter((g) => !b.has(g.expanded.action)).map(change);
  const actionsRemoved = [...b.values()].filter((g) => !a.has(g.expanded.action)).map(change);
  const resourceChanges: ResourceChange[] = [];
  const conditionGroups = new Map<string, ConditionChange>();
  for (const [action, ga] of a) {
    const gb = b.get(action);
    if (!gb) continue;
    const added = [...ga.resources.keys()].filter((r) => !gb.resources.has(r));
    const removed = [...gb.resources.keys()].filter((r) => !ga.resources.has(r));
    if (added.length > 0 || removed.length > 0) {
      resourceChanges.push({ action, accessLevel: levelOf(ga.expanded), added, removed });
    }
    for (const [resource, qa] of ga.resources) {
      const qb = gb.resources.get(resource);
      if (!qb) continue;
      const beforeKeys = [...qb].sort();
      const afterKeys = [...qa].sort();
      if (beforeKeys.join('\n') === afterKeys.join('\n')) continue;
      // One entry per (resource, before, after) so a condition added to a 50-action statement reads as one change.
      const key = canonical([resource, beforeKeys, afterKeys]);
      let group = conditionGroups.get(key);
      if (!group) {
        const pick = (keys: string[]): GrantQualifier[] => keys.map((k) => qualifiers.get(k) ?? {});
        group = { actions: [], resource, before: pick(beforeKeys), after: pick(afterKeys) };
        conditionGroups.set(key, group);
      }
      group.actions.push(action);
    }
  }
  return {
    actionsAdded: actionsAdded.sort(byAction),
    actionsRemoved: actionsRemoved.sort(byAction),
    resourceChanges: resourceChanges.sort(byAction),
    conditionChanges: [...conditionGroups.values()].map((c) => ({ ...c, actions: c.actions.sort() })),
  };
}

function isEmpty(d: EffectDiff): boolean {
  return (
    d.actionsAdded.length + d.actionsRemoved.length + d.resourceChanges.length + d.conditionChanges.length ===
    0
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function byLevel(changes: ActionChange[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.accessLevel, (counts.get(c.accessLevel) ?? 0) + 1);
  return [...counts].map(([level, n]) => `${level} ${n}`).join(', ');
}

function summarise(d: PolicyDiff): string {
  const parts: string[] = [];
  if (d.actionsAdded.length)
    parts.push(`+${plural(d.actionsAdded.length, 'action')} (${byLevel(d.actionsAdded)})`);
  if (d.actionsRemoved.length) parts.push(`-${plural(d.actionsRemoved.length, 'action')}`);
  if (d.resourceChanges.length) parts.push(plural(d.resourceChanges.length, 'resource change'));
  if (d.conditionChanges.length) parts.push(plural(d.conditionChanges.length, 'condition change'));
  const deny = d.deny.actionsAdded.length + d.deny.actionsRemoved.length;
  const denyOther = d.deny.resourceChanges.length + d.deny.conditionChanges.length;
  if (deny + denyOther > 0)
    parts.push(`Deny: +${d.deny.actionsAdded.length}/-${d.deny.actionsRemoved.length} actions`);
  let text = parts.length > 0 ? parts.join(', ') : 'no change in granted access';
  if (d.score) {
    const sign = d.score.delta > 0 ? '+' : '';
    text += `; score ${d.score.before.score} → ${d.score.after.score} (${sign}${d.score.delta})`;
  }
  return text;
}

/**
 * Compares two policies. Actions are compared after expansion (so `s3:Get*` → `s3:GetObject` + … is a change
 * only for the actions whose grant changed), per effect, and scores both versions with `options.scorer`
 * (default: the risk engine's `scorePolicy`; `null` skips scoring). `context` goes to the scorer.
 */
export function diffPolicies(
  before: Policy,
  after: Policy,
  context?: RiskContext,
  { scorer = scorePolicy }: { scorer?: PolicyScorer | null } = {},
): PolicyDiff {
  const allow = diffEffect(before, after, 'Allow');
  const deny = diffEffect(before, after, 'Deny');
  const result: PolicyDiff = { ...allow, deny, unchanged: isEmpty(allow) && isEmpty(deny), summary: '' };
  if (scorer) {
    const b = scorer(before, context);
    const a = scorer(after, context);
    result.score = { before: b, after: a, delta: a.score - b.score };
  }
  result.summary = summarise(result);
  return result;
}
