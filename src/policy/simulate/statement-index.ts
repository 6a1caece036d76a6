/**
 * An index from action to the statements that can apply to it, so policies with hundreds or thousands of
 * statements only test the few candidates for a request's action. Results are memoised per action.
 */
import type { Statement } from '../types.ts';

/** Where a statement is filed: by literal action, by service prefix (its wildcards), or tested always. */
export interface ActionKeys {
  literals: string[];
  services: string[];
  /** NotAction, a missing Action, or a pattern whose service prefix has a wildcard. */
  generic: boolean;
}

/** Lower-cased index keys of a statement's Action element. */
export function actionKeysOf(st: Statement): ActionKeys {
  const keys: ActionKeys = { literals: [], services: [], generic: false };
  if (!st.action) {
    keys.generic = true;
    return keys;
  }
  for (const pattern of st.action) {
    const lower = pattern.toLowerCase();
    const colon = lower.indexOf(':');
    const service = colon > 0 ? lower.slice(0, colon) : '';
    if (!service || /[*?]/.test(service)) keys.generic = true;
    else if (/[*?]/.test(lower)) keys.services.push(service);
    else keys.literals.push(lower);
  }
  return keys;
}

/** Memo size per policy; cleared when full (bounded memory for callers that send many distinct actions). */
const MAX_ACTIONS = 4_096;

/**
 * Builds `statementsFor(actionLower)`: the statements (in document order) for which `matches` holds, looking
 * only at candidates filed under the action, its service, or as generic.
 */
export function createStatementIndex<T>(
  statements: readonly T[],
  keys: readonly ActionKeys[],
  matches: (statement: T, actionLower: string) => boolean,
): (actionLower: string) => readonly T[] {
  const byLiteral = new Map<string, number[]>();
  const byService = new Map<string, number[]>();
  const generic: number[] = [];
  const file = (map: Map<string, number[]>, key: string, i: number): void => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list.at(-1) !== i) list.push(i);
  };
  keys.forEach((k, i) => {
    if (k.generic) generic.push(i);
    for (const literal of k.literals) file(byLiteral, literal, i);
    for (const service of k.services) file(byService, service, i);
  });
  const memo = new Map<string, readonly T[]>();
  const none: readonly T[] = [];
  return (actionLower) => {
    const hit = memo.get(actionLower);
    if (hit) return hit;
    const colon = actionLower.indexOf(':');
    const literal = byLiteral.get(actionLower);
    const service = byService.get(colon > 0 ? actionLower.slice(0, colon) : actionLower);
    if (!literal && !service && generic.length === 0) return none;
    const out: T[] = [];
    for (const i of mergeSorted(literal, service, generic)) {
      const st = statements[i]!;
      if (matches(st, actionLower)) out.push(st);
    }
    // Only non-empty results are memoised: an action no statement covers costs a short filter, not memory.
    if (out.length === 0) return none;
    if (memo.size >= MAX_ACTIONS) memo.clear();
    memo.set(actionLower, out);
    return out;
  };
}

/** Distinct indices of up to three ascending lists, in ascending order. */
function mergeSorted(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined,
  c: readonly number[],
): number[] {
  const all = [...(a ?? []), ...(b ?? []), ...c];
  if ((a ? 1 : 0) + (b ? 1 : 0) + (c.length ? 1 : 0) > 1) all.sort((x, y) => x - y);
  const out: number[] = [];
  for (const i of all) if (out.at(-1) !== i) out.push(i);
  return out;
}
