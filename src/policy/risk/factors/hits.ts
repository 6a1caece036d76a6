/**
 * Accumulates the factors that fire while the scorer walks a policy: for each factor whether any evidence is
 * unscoped (wide resources or no restricting condition), a bounded, deterministic evidence list, and the total
 * number of evidence items seen.
 */
import type { Evidence } from '../../types.ts';
import type { ActionRisk } from '../action-flags.ts';
import type { FactorId } from '../model.ts';

/** Evidence items kept per factor; the rest are counted (`total`) and summarised in one last entry. */
export const MAX_EVIDENCE = 20;

/** One fired factor while the policy is being walked. */
export interface Hit {
  id: FactorId;
  unscoped: boolean;
  evidence: Evidence[];
  total: number;
  /** True once an unscoped item is among `evidence` (so the list shows why the factor weighs what it does). */
  showsUnscoped: boolean;
}

/** Fired factors by id. */
export type Hits = Map<FactorId, Hit>;

/** Records one piece of evidence for factor `id`. */
export function addHit(hits: Hits, id: FactorId, unscoped: boolean, evidence: Evidence): void {
  const hit = hitFor(hits, id);
  hit.total++;
  if (hit.evidence.length < MAX_EVIDENCE) {
    hit.evidence.push(evidence);
    if (unscoped) hit.showsUnscoped = true;
  } else if (unscoped && !hit.showsUnscoped) {
    hit.evidence[MAX_EVIDENCE - 1] = evidence;
    hit.showsUnscoped = true;
  }
  if (unscoped) hit.unscoped = true;
}

/**
 * Like addHit for an action grant, but allocates the evidence object only when it is kept (the hot path of
 * policies that allow thousands of actions).
 */
export function addGrantHit(
  hits: Hits,
  id: FactorId,
  unscoped: boolean,
  statementIndex: number,
  action: string,
  resource: string,
): void {
  const hit = hitFor(hits, id);
  hit.total++;
  if (hit.evidence.length < MAX_EVIDENCE) {
    hit.evidence.push({ statementIndex, action, resource });
    if (unscoped) hit.showsUnscoped = true;
  } else if (unscoped && !hit.showsUnscoped) {
    hit.evidence[MAX_EVIDENCE - 1] = { statementIndex, action, resource };
    hit.showsUnscoped = true;
  }
  if (unscoped) hit.unscoped = true;
}

/** Records a whole list of actions granted on one resource at one scope (uniform statements). */
export function addGrantHits(
  hits: Hits,
  id: FactorId,
  unscoped: boolean,
  statementIndex: number,
  actions: readonly ActionRisk[],
  resource: string,
): void {
  const hit = hitFor(hits, id);
  hit.total += actions.length;
  const room = MAX_EVIDENCE - hit.evidence.length;
  for (let i = 0; i < room && i < actions.length; i++) {
    hit.evidence.push({ statementIndex, action: actions[i]?.id, resource });
  }
  if (unscoped) {
    if (!hit.showsUnscoped && room <= 0) {
      hit.evidence[MAX_EVIDENCE - 1] = { statementIndex, action: actions[0]?.id, resource };
    }
    hit.showsUnscoped = true;
    hit.unscoped = true;
  }
}

function hitFor(hits: Hits, id: FactorId): Hit {
  let hit = hits.get(id);
  if (!hit) {
    hit = { id, unscoped: false, evidence: [], total: 0, showsUnscoped: false };
    hits.set(id, hit);
  }
  return hit;
}
