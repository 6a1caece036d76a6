/**
 * Which action-driven factor each action feeds, as "buckets" over its precomputed flags. The rules live here
 * once and serve two paths: per grant (statements with mixed resources, Deny statements or admin extensions),
 * and per action list (the common `Resource: "*"` statement), where each bucket's actions are indexed once and
 * cached, so a statement allowing 20,000 actions costs a few bucket lookups instead of 20,000 × factors.
 */
import { type ActionRisk, FLAG, MUTATING, SPECIFIC_FAMILIES } from './action-flags.ts';
import type { FactorId } from './model.ts';

/** One action-driven factor and the rule deciding which actions feed it. */
export interface Bucket {
  factor: FactorId;
  /** Does an action with these flags belong to the bucket? */
  test: (flags: number) => boolean;
  /**
   * How the grant's scope maps to the factor's: `scope` (wide → unscoped), `wide-only` (fires only on wide
   * resources), `scoped` (always the scoped weight), `read-only` (fires only for read-only requests).
   */
  mode: 'scope' | 'wide-only' | 'scoped' | 'read-only';
}

const family = (factor: FactorId, bit: number): Bucket => ({
  factor,
  test: (f) => (f & bit) !== 0,
  mode: 'scope',
});

/** Every bucket; an action may feed several. Order is evidence order, not rank (ranking is in combine.ts). */
export const BUCKETS: readonly Bucket[] = [
  family('defense-evasion', FLAG.defenseEvasion),
  family('catastrophic-change', FLAG.catastrophic),
  family('secret-read', FLAG.secretRead),
  family('data-read', FLAG.dataRead),
  family('code-execution', FLAG.codeExecution),
  family('resource-exposure', FLAG.resourceExposure),
  family('permissions-management', FLAG.permissions),
  family('high-impact-change', FLAG.highImpact),
  family('sensitive-service-write', FLAG.sensitiveService),
  family('destructive-change', FLAG.destructive),
  family('iam-recon', FLAG.iamRecon),
  // Writes no more specific family explains, so one action does not earn a specific and the generic factor.
  {
    factor: 'write-access',
    test: (f) => (f & MUTATING) !== 0 && (f & SPECIFIC_FAMILIES) === 0,
    mode: 'scope',
  },
  {
    factor: 'credentials-exposure',
    test: (f) => (f & FLAG.credentials) !== 0 && (f & FLAG.resourceLevel) !== 0,
    mode: 'scope',
  },
  {
    // A token action without resource-level permissions cannot be scoped at all; it counts at the scoped weight
    // instead of making every such policy look like account-wide credential access.
    factor: 'credentials-exposure',
    test: (f) => (f & FLAG.credentials) !== 0 && (f & FLAG.resourceLevel) === 0,
    mode: 'scoped',
  },
  {
    factor: 'wildcard-resource',
    test: (f) => (f & MUTATING) !== 0 && (f & FLAG.resourceLevel) !== 0,
    mode: 'wide-only',
  },
  { factor: 'broad-read', test: (f) => (f & (FLAG.list | FLAG.read)) !== 0, mode: 'wide-only' },
  { factor: 'read-only-violation', test: (f) => (f & MUTATING) !== 0, mode: 'read-only' },
];

/** The unscoped flag a bucket hit gets, or undefined when the bucket does not fire for this grant. */
export function bucketScope(bucket: Bucket, wide: boolean, readOnly: boolean): boolean | undefined {
  switch (bucket.mode) {
    case 'scope':
      return wide;
    case 'scoped':
      return false;
    case 'wide-only':
      return wide ? true : undefined;
    case 'read-only':
      return readOnly ? true : undefined;
  }
}

/** An action list split by bucket (same order as BUCKETS), plus the actions of escalation methods. */
export interface ActionIndex {
  actions: readonly ActionRisk[];
  byBucket: readonly (readonly ActionRisk[])[];
  escalation: readonly ActionRisk[];
  mutating: boolean;
}

/** Indexes an action list by bucket (callers cache the result with the list). */
export function indexActions(actions: readonly ActionRisk[]): ActionIndex {
  const byBucket: ActionRisk[][] = BUCKETS.map(() => []);
  const escalation: ActionRisk[] = [];
  let mutating = false;
  for (const a of actions) {
    BUCKETS.forEach((b, i) => {
      if (b.test(a.flags)) byBucket[i]?.push(a);
    });
    if (a.flags & FLAG.escalation) escalation.push(a);
    if (a.flags & MUTATING) mutating = true;
  }
  return { actions, byBucket, escalation, mutating };
}
