/**
 * Redundant statements (Access Analyzer's suggestion REDUNDANT_STATEMENT): a statement is redundant when another
 * statement with the same effect, the same principal and no condition already covers all of its actions and
 * resources. Coverage is judged on the patterns as written, so it stays true when AWS adds actions later.
 */
import type { Statement } from '../types.ts';
import { hasWildcard, wildcardToRegExp } from '../wildcard.ts';
import type { ValidationContext } from './context.ts';

/** A pattern list prepared for coverage tests: exact entries in a set, wildcard entries compiled once. */
interface Cover {
  exact: Set<string>;
  star: boolean;
  wild: { re: RegExp; prefix: string | undefined }[];
  caseInsensitive: boolean;
}

function prepare(list: readonly string[], caseInsensitive: boolean): Cover {
  const norm = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
  const wild = list.filter(hasWildcard).map((q) => {
    const body = q.slice(0, -1);
    const prefix = q.endsWith('*') && !hasWildcard(body) ? norm(body) : undefined;
    return { re: wildcardToRegExp(q, { caseInsensitive }), prefix };
  });
  return { exact: new Set(list.map(norm)), star: list.includes('*'), wild, caseInsensitive };
}

/** Every pattern of `inner` is matched by some pattern of `outer` (literal match, or `prefix*` containment). */
function allCovered(inner: readonly string[], outer: Cover): boolean {
  if (outer.star) return true;
  return inner.every((p) => {
    const n = outer.caseInsensitive ? p.toLowerCase() : p;
    if (outer.exact.has(n)) return true;
    if (!hasWildcard(p)) return outer.wild.some((w) => w.re.test(p));
    return outer.wild.some((w) => w.prefix !== undefined && n.startsWith(w.prefix));
  });
}

interface Prepared {
  statement: Statement;
  principal: string;
  /** Compiled lazily: most statement pairs are rejected on effect, principal or condition first. */
  covers?: { actions: Cover | undefined; resources: Cover | undefined };
}

function prepareStatement(statement: Statement): Prepared {
  return { statement, principal: JSON.stringify([statement.principal, statement.notPrincipal]) };
}

function coversOf(p: Prepared): { actions: Cover | undefined; resources: Cover | undefined } {
  p.covers ??= {
    actions: p.statement.action ? prepare(p.statement.action, true) : undefined,
    resources: p.statement.resource ? prepare(p.statement.resource, false) : undefined,
  };
  return p.covers;
}

function isCoveredBy(inner: Prepared, outer: Prepared): boolean {
  const a = inner.statement;
  const b = outer.statement;
  if (b.condition && Object.keys(b.condition).length > 0) return false;
  if (a.effect !== b.effect || inner.principal !== outer.principal) return false;
  if (!a.action || !b.action || a.action.length === 0) return false;
  if (a.notResource || b.notResource) return false;
  const { actions, resources } = coversOf(outer);
  if (a.resource || b.resource) {
    if (!a.resource || !resources || a.resource.length === 0) return false;
    if (!allCovered(a.resource, resources)) return false;
  }
  return actions !== undefined && allCovered(a.action, actions);
}

/** Reports statements covered by another statement (the later of two identical statements is reported). */
export function checkRedundantStatements(ctx: ValidationContext): void {
  if (ctx.statements.length < 2) return;
  const prepared = ctx.statements.map((v) => prepareStatement(v.statement));
  prepared.forEach((inner, i) => {
    const outer = prepared.find((o, j) => {
      if (j === i || !isCoveredBy(inner, o)) return false;
      // Two statements covering each other: keep the first, report the later one.
      return !(j > i && isCoveredBy(o, inner));
    });
    const view = ctx.statements[i];
    if (outer && view) {
      ctx.report(
        'REDUNDANT_STATEMENT',
        `Statement ${inner.statement.index} grants nothing beyond statement ${outer.statement.index}, which has the same effect and no condition; remove it or merge them.`,
        view.pointer,
        inner.statement.index,
      );
    }
  });
}
