/**
 * Expands IAM action patterns (`s3:Get*Tagging`, `ec2:Describe*`, `*`, NotAction complements) into the concrete
 * actions of the IAM catalog, with their access levels. Matching is case-insensitive and `*`/`?` wildcards may
 * appear anywhere in the action name (IAM User Guide, "IAM JSON policy elements: Action" and "NotAction").
 * Results are cached per pattern, so repeated expansion of the same policies costs a map lookup.
 */
import { type ActionInfo, getIamCatalog } from './iam-catalog.ts';
import type { ExpandedAction, Statement } from './types.ts';
import { hasWildcard, matchesWildcard, wildcardToRegExp } from './wildcard.ts';

const expandedByInfo = new WeakMap<ActionInfo, ExpandedAction>();
const patternCache = new Map<string, readonly ExpandedAction[]>();
const notActionCache = new Map<string, readonly ExpandedAction[]>();
const MAX_CACHE = 20_000;

function toExpanded(info: ActionInfo): ExpandedAction {
  let e = expandedByInfo.get(info);
  if (!e) {
    e = Object.freeze({ action: info.id, service: info.service, accessLevel: info.accessLevel });
    expandedByInfo.set(info, e);
  }
  return e;
}

function byAction(a: ExpandedAction, b: ExpandedAction): number {
  return a.action < b.action ? -1 : a.action > b.action ? 1 : 0;
}

/** The concrete actions one pattern matches (cached, sorted). An unknown literal matches nothing. */
export function expandActionPattern(pattern: string): readonly ExpandedAction[] {
  const key = pattern.toLowerCase();
  const cached = patternCache.get(key);
  if (cached) return cached;
  const catalog = getIamCatalog();
  let result: ExpandedAction[];
  if (key === '*') {
    result = catalog.allActions().map(toExpanded);
  } else {
    const colon = key.indexOf(':');
    if (colon < 0) {
      result = [];
    } else {
      const service = key.slice(0, colon);
      const name = key.slice(colon + 1);
      const infos = hasWildcard(service)
        ? catalog.allActions().filter((a) => matchesWildcard(service, a.service, { caseInsensitive: true }))
        : catalog.actionsOf(service);
      if (!hasWildcard(name)) {
        if (hasWildcard(service)) {
          result = infos.filter((a) => a.name.toLowerCase() === name).map(toExpanded);
        } else {
          const info = catalog.action(`${service}:${name}`);
          result = info ? [toExpanded(info)] : [];
        }
      } else if (name === '*') {
        result = infos.map(toExpanded);
      } else {
        const re = wildcardToRegExp(name, { caseInsensitive: true });
        result = infos.filter((a) => re.test(a.name)).map(toExpanded);
      }
    }
  }
  result.sort(byAction);
  const frozen = Object.freeze(result);
  if (patternCache.size > MAX_CACHE) patternCache.clear();
  patternCache.set(key, frozen);
  return frozen;
}

/** Union of the actions matched by `patterns`, sorted by action id and deduplicated. */
export function expandActionPatterns(patterns: readonly string[]): ExpandedAction[] {
  if (patterns.length === 1) return [...expandActionPattern(patterns[0] ?? '')];
  const seen = new Set<ExpandedAction>();
  for (const p of patterns) for (const a of expandActionPattern(p)) seen.add(a);
  return [...seen].sort(byAction);
}

/**
 * The concrete actions a statement applies to: its `Action` patterns, or for `NotAction` every catalog action
 * that none of the patterns match (the complement, as IAM evaluates NotAction).
 */
export function expandStatementActions(statement: Statement): ExpandedAction[] {
  if (statement.action) return expandActionPatterns(statement.action);
  if (!statement.notAction) return [];
  const key = statement.notAction
    .map((p) => p.toLowerCase())
    .sort()
    .join('\n');
  let cached = notActionCache.get(key);
  if (!cached) {
    const excluded = new Set(expandActionPatterns(statement.notAction));
    cached = Object.freeze(
      getIamCatalog()
        .allActions()
        .map(toExpanded)
        .filter((a) => !excluded.has(a)),
    );
    if (notActionCache.size > 1000) notActionCache.clear();
    notActionCache.set(key, cached);
  }
  return [...cached];
}

/** Patterns that match no action in the catalog (unknown services, unknown actions, wildcards that match nothing). */
export function unknownActionPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => p !== '*' && expandActionPattern(p).length === 0);
}

/** True when the action pattern (as written in a policy) matches the concrete `action` (case-insensitive). */
export function actionPatternMatches(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, { caseInsensitive: true });
}
