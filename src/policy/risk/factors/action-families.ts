/**
 * Factors driven by what each granted action is: the curated families (credentials, secrets, data, code
 * execution, exposure, evasion, catastrophic and high-impact changes, recon), its access level (permissions
 * management, writes, wildcard resources on writes, broad metadata reads) and the request context
 * (read-only violations). The bucket rules are in buckets.ts. Admin extensions add actions/services to the
 * high-impact and sensitive sets; they can only add evidence, never remove it.
 */
import type { RiskContext } from '../../types.ts';
import { FLAG, MUTATING } from '../action-flags.ts';
import { BUCKETS, bucketScope } from '../buckets.ts';
import { type AllowStatement, grantsOf } from '../grants.ts';
import { addGrantHit, addGrantHits, type Hits } from './hits.ts';

/** Admin extensions, resolved once per scoring call. */
export interface Extensions {
  highImpactActions: ReadonlySet<string>;
  sensitiveServices: ReadonlySet<string>;
}

function hasExtensions(ext: Extensions): boolean {
  return ext.highImpactActions.size > 0 || ext.sensitiveServices.size > 0;
}

/** Adds the action-family factors of every Allow statement to `hits`. */
export function collectActionFamilies(
  allows: readonly AllowStatement[],
  hits: Hits,
  context: RiskContext,
  ext: Extensions,
): void {
  const readOnly = context.accessType === 'read-only';
  const extended = hasExtensions(ext);
  for (const allow of allows) {
    const u = allow.uniform;
    if (u && !extended) {
      // Uniform statement: every action shares one resource and scope, so whole buckets fire at once.
      BUCKETS.forEach((bucket, i) => {
        const actions = u.index.byBucket[i] ?? [];
        if (actions.length === 0) return;
        const unscoped = bucketScope(bucket, u.wide, readOnly);
        if (unscoped === undefined) return;
        addGrantHits(hits, bucket.factor, unscoped, allow.statement.index, actions, u.resource);
      });
      continue;
    }
    for (const g of grantsOf(allow)) {
      let flags = g.action.flags;
      if (ext.highImpactActions.has(g.action.id)) flags |= FLAG.highImpact;
      if (flags & MUTATING && ext.sensitiveServices.has(g.action.service)) flags |= FLAG.sensitiveService;
      for (const bucket of BUCKETS) {
        if (!bucket.test(flags)) continue;
        const unscoped = bucketScope(bucket, g.wide, readOnly);
        if (unscoped !== undefined) {
          addGrantHit(hits, bucket.factor, unscoped, g.statementIndex, g.action.id, g.resource);
        }
      }
    }
  }
}
