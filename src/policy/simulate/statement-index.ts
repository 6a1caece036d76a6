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
  return (actionLower) => {
    let result = memo.get(actionLower);
    if (result) return result;
    const colon = actionLower.indexOf(':');
    const service = colon > 0 ? actionLower.slice(0, colon) : actionLower;
    const candidates = [...(byLiteral.get(actionLower) ?? []), ...(byService.get(service) ?? []), ...generic];
    candidates.sort((a, b) => a - b);
    const out: T[] = [];
    let last = -1;
    for (const i of candidates) {
      if (i === last) continue;
      last = i;
      const st = statements[i]!;
      if (matches(st, actionLower)) out.push(st);
    }
    result = out;
    if (memo.size >= MAX_ACTIONS) memo.clear();
    memo.set(actionLower, result);
    return result;
  };
}
