/**
 * Privilege escalation: a published method fires when every one of its actions is allowed somewhere in the
 * policy (across statements: iam:PassRole in one statement, lambda:CreateFunction and lambda:InvokeFunction in
 * another is the classic path). The method counts as unscoped when each of its actions is allowed on a wide
 * resource scope. Sources: lists/escalation-methods.ts.
 */
import { FLAG } from '../action-flags.ts';
import type { AllowStatement, Grant } from '../grants.ts';
import { ESCALATION_METHODS } from '../lists/escalation-methods.ts';
import { addHit, type Hits } from './hits.ts';

function escalationGrants(allow: AllowStatement): readonly Grant[] {
  const u = allow.uniform;
  if (!u) return allow.grants;
  const statementIndex = allow.statement.index;
  return u.index.escalation.map((action) => ({ statementIndex, action, resource: u.resource, wide: u.wide }));
}

/** Adds a `privilege-escalation` hit per action of every method the Allow statements complete together. */
export function collectEscalation(allows: readonly AllowStatement[], hits: Hits): void {
  const allowed = new Map<string, Grant>();
  for (const allow of allows) {
    for (const g of escalationGrants(allow)) {
      if ((g.action.flags & FLAG.escalation) === 0) continue;
      const seen = allowed.get(g.action.id);
      if (!seen || (g.wide && !seen.wide)) allowed.set(g.action.id, g);
    }
  }
  if (allowed.size === 0) return;
  for (const method of ESCALATION_METHODS) {
    const parts = method.actions.map((a) => allowed.get(a));
    if (parts.some((p) => p === undefined)) continue;
    const wide = parts.every((p) => p?.wide);
    for (const p of parts) {
      if (!p) continue;
      addHit(hits, 'privilege-escalation', wide, {
        statementIndex: p.statementIndex,
        action: p.action.id,
        resource: p.resource,
        detail: `method ${method.name}: ${method.actions.join(' + ')}`,
      });
    }
  }
}
