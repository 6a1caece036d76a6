/**
 * Action checks: unknown services and actions, wildcards that match nothing (Access Analyzer's INVALID_ACTION and
 * INVALID_SERVICE_IN_ACTION; parliament's UNKNOWN_PREFIX and UNKNOWN_ACTION), policy variables in Action, and
 * entries already covered by another entry (Access Analyzer's REDUNDANT_ACTION). Matching is case-insensitive, as
 * IAM matches actions ("IAM JSON policy elements: Action").
 */
import { expandActionPattern } from '../expand.ts';
import { getIamCatalog } from '../iam-catalog.ts';
import { hasWildcard, wildcardToRegExp } from '../wildcard.ts';
import { entryPath, hasPolicyVariable, type StatementView, type ValidationContext } from './context.ts';

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance must exceed `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** The closest candidate within `max` edits (case-insensitive), for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[], max: number): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase(), Math.min(max, bestD));
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function didYouMean(s: string | undefined): string {
  return s ? ` Did you mean ${s}?` : '';
}

/** Patterns already known to match an action (exact spelling), so repeat validations skip the catalog. */
const knownPatterns = new Set<string>();

/** Reports an unknown or malformed pattern; returns true when the pattern is known. */
function checkPattern(
  ctx: ValidationContext,
  view: StatementView,
  name: string,
  p: string,
  i: number,
): boolean {
  if (p === '*' || knownPatterns.has(p)) return true;
  const path = entryPath(view, name, i);
  const at = view.statement.index;
  if (hasPolicyVariable(p)) {
    ctx.report(
      'VARIABLE_UNSUPPORTED_IN_ELEMENT',
      `Policy variables are supported only in Resource and Condition; "${p}" in ${name} is literal text.`,
      path,
      at,
    );
    return false;
  }
  const colon = p.indexOf(':');
  if (colon <= 0 || colon === p.length - 1) {
    ctx.report('INVALID_ACTION', `"${p}" is not an action; write actions as service:ActionName.`, path, at);
    return false;
  }
  const catalog = getIamCatalog();
  const service = p.slice(0, colon);
  if (!hasWildcard(service) && !catalog.hasService(service)) {
    const hint = closest(service, catalog.services(), 2);
    ctx.report(
      'INVALID_SERVICE_IN_ACTION',
      `The service prefix "${service}" in "${p}" does not exist.${didYouMean(hint && `${hint}:${p.slice(colon + 1)}`)}`,
      path,
      at,
    );
    return false;
  }
  if (expandActionPattern(p).length > 0) {
    if (knownPatterns.size > 50_000) knownPatterns.clear();
    knownPatterns.add(p);
    return true;
  }
  if (hasWildcard(p)) {
    ctx.report('WILDCARD_MATCHES_NO_ACTION', `"${p}" matches no ${service} action.`, path, at);
  } else {
    const names = catalog.actionsOf(service).map((a) => a.name);
    const hint = closest(p.slice(colon + 1), names, 3);
    ctx.report(
      'INVALID_ACTION',
      `The action "${p}" does not exist.${didYouMean(hint && `${service}:${hint}`)}`,
      path,
      at,
    );
  }
  return false;
}

/** A wildcard pattern q surely covers wildcard pattern p when q is `*` or `prefix*` and p starts with prefix. */
function patternCovers(q: string, p: string): boolean {
  if (q === '*') return true;
  const body = q.slice(0, -1);
  return (
    q.endsWith('*') &&
    !hasWildcard(body) &&
    p.toLowerCase().startsWith(body.toLowerCase()) &&
    q.length <= p.length
  );
}

interface WildEntry {
  p: string;
  i: number;
  re: RegExp;
}

function serviceOf(p: string): string {
  const colon = p.indexOf(':');
  return (colon < 0 ? p : p.slice(0, colon)).toLowerCase();
}

function checkRedundant(
  ctx: ValidationContext,
  view: StatementView,
  name: string,
  list: readonly string[],
): void {
  // Wildcard entries grouped by service, so each entry is compared only with the patterns that can cover it.
  const byService = new Map<string, WildEntry[]>();
  const cross: WildEntry[] = [];
  list.forEach((p, i) => {
    if (!hasWildcard(p)) return;
    const entry = { p, i, re: wildcardToRegExp(p, { caseInsensitive: true }) };
    const service = serviceOf(p);
    if (hasWildcard(service)) cross.push(entry);
    else byService.set(service, [...(byService.get(service) ?? []), entry]);
  });
  if (byService.size === 0 && cross.length === 0 && list.length < 2) return;
  const seen = new Map<string, number>();
  list.forEach((p, i) => {
    const lower = p.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) {
      ctx.report(
        'REDUNDANT_ACTION',
        `"${p}" is listed twice in ${name} (also entry ${first}); remove one.`,
        entryPath(view, name, i),
        view.statement.index,
      );
      return;
    }
    seen.set(lower, i);
    const wild = hasWildcard(p);
    const service = serviceOf(p);
    const candidates = hasWildcard(service) ? cross : [...(byService.get(service) ?? []), ...cross];
    const cover = candidates.find(
      (q) => q.i !== i && q.p.toLowerCase() !== lower && (wild ? patternCovers(q.p, p) : q.re.test(p)),
    );
    if (cover) {
      ctx.report(
        'REDUNDANT_ACTION',
        `"${p}" is already covered by "${cover.p}" in the same ${name}; remove it.`,
        entryPath(view, name, i),
        view.statement.index,
      );
    }
  });
}

/** Runs the action checks over every statement. */
export function checkActions(ctx: ValidationContext): void {
  for (const view of ctx.statements) {
    const st = view.statement;
    const name = st.action ? 'Action' : 'NotAction';
    const list = st.action ?? st.notAction;
    if (!list) continue;
    list.forEach((p, i) => {
      checkPattern(ctx, view, name, p, i);
    });
    checkRedundant(ctx, view, name, list);
  }
}
