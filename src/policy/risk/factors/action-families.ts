/**
 * Factors driven by what each granted action is: the curated families (credentials, secrets, data, code
 * execution, exposure, evasion, catastrophic and high-impact changes, recon), its access level (permissions
 * management, writes, wildcard resources on writes, broad metadata reads) and the request context
 * (read-only violations). Admin extensions add actions/services to the high-impact and sensitive sets; they
 * can only add evidence, never remove it.
 */
import type { RiskContext } from '../../types.ts';
import { FLAG, MUTATING, SPECIFIC_FAMILIES } from '../action-flags.ts';
import type { Grant } from '../grants.ts';
import type { FactorId } from '../model.ts';
import { addGrantHit, type Hits } from './hits.ts';

const FAMILIES: readonly (readonly [FactorId, number])[] = [
  ['defense-evasion', FLAG.defenseEvasion],
  ['catastrophic-change', FLAG.catastrophic],
  ['secret-read', FLAG.secretRead],
  ['data-read', FLAG.dataRead],
  ['code-execution', FLAG.codeExecution],
  ['resource-exposure', FLAG.resourceExposure],
  ['permissions-management', FLAG.permissions],
  ['high-impact-change', FLAG.highImpact],
  ['sensitive-service-write', FLAG.sensitiveService],
  ['destructive-change', FLAG.destructive],
  ['iam-recon', FLAG.iamRecon],
];

const FAMILY_MASK = FAMILIES.reduce((mask, [, bit]) => mask | bit, 0);

/** Admin extensions, resolved once per scoring call. */
export interface Extensions {
  highImpactActions: ReadonlySet<string>;
  sensitiveServices: ReadonlySet<string>;
}

/** Adds the action-family factors of every grant to `hits`. */
export function collectActionFamilies(
  grants: readonly Grant[],
  hits: Hits,
  context: RiskContext,
  ext: Extensions,
): void {
  const readOnly = context.accessType === 'read-only';
  for (const g of grants) {
    let flags = g.action.flags;
    if (ext.highImpactActions.has(g.action.id)) flags |= FLAG.highImpact;
    if (flags & MUTATING && ext.sensitiveServices.has(g.action.service)) flags |= FLAG.sensitiveService;
    const { statementIndex, resource, wide } = g;
    const action = g.action.id;
    if (flags & FAMILY_MASK) {
      for (const [id, bit] of FAMILIES) {
        if (flags & bit) addGrantHit(hits, id, wide, statementIndex, action, resource);
      }
    }
    if (flags & MUTATING && (flags & SPECIFIC_FAMILIES) === 0) {
      addGrantHit(hits, 'write-access', wide, statementIndex, action, resource);
    }
    if (flags & FLAG.credentials) {
      // A token action that supports no resource-level permissions cannot be scoped at all; it counts at the
      // scoped weight instead of making every such policy look like account-wide credential access.
      const unscoped = wide && (flags & FLAG.resourceLevel) !== 0;
      addGrantHit(hits, 'credentials-exposure', unscoped, statementIndex, action, resource);
    }
    if (!wide) {
      if (readOnly && flags & MUTATING)
        addGrantHit(hits, 'read-only-violation', true, statementIndex, action, resource);
      continue;
    }
    if (flags & MUTATING && flags & FLAG.resourceLevel) {
      addGrantHit(hits, 'wildcard-resource', true, statementIndex, action, resource);
    }
    if (flags & (FLAG.list | FLAG.read))
      addGrantHit(hits, 'broad-read', true, statementIndex, action, resource);
    if (readOnly && flags & MUTATING)
      addGrantHit(hits, 'read-only-violation', true, statementIndex, action, resource);
  }
}
