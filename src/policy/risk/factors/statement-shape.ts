/**
 * Factors read from how a statement is written: `*` and service wildcards, partial wildcard patterns,
 * NotAction/NotResource with Allow, vacuous conditions, and (in resource policies) a public principal. A shape
 * factor only fires while its statement still grants something after Deny statements are applied.
 */
import { getIamCatalog } from '../../iam-catalog.ts';
import type { PolicyKind, Statement } from '../../types.ts';
import type { AllowStatement } from '../grants.ts';
import { addHit, type Hits } from './hits.ts';

function isAllActions(pattern: string): boolean {
  return /^\*+$/.test(pattern) || /^\*+:\*+$/.test(pattern);
}

function isAnyPrincipal(st: Statement): boolean {
  const p = st.principal;
  return p === '*' || (p !== undefined && (p.AWS?.includes('*') ?? false));
}

/** Adds the statement-shape factors of one Allow statement. */
export function collectStatementShape(allow: AllowStatement, hits: Hits, kind: PolicyKind): void {
  const { statement: st, conditions } = allow;
  const index = st.index;
  for (const v of conditions.vacuous) {
    addHit(hits, 'vacuous-condition', true, {
      statementIndex: index,
      detail: `${v.operator} ${v.key} "${v.value}" matches every request`,
    });
  }
  if (allow.granted === 0) return;
  const resource = st.resource?.[0] ?? '*';
  const fullAdmin =
    (st.action?.some(isAllActions) ?? false) &&
    !conditions.scoping &&
    allow.granted === getIamCatalog().allActions().length &&
    allow.allWide;
  if (fullAdmin) addHit(hits, 'full-admin', true, { statementIndex: index, action: '*', resource: '*' });
  for (const pattern of st.action ?? []) {
    if (isAllActions(pattern)) {
      if (!fullAdmin)
        addHit(hits, 'wildcard-action', true, { statementIndex: index, action: pattern, resource });
    } else if (/:\*+$/.test(pattern) && !/[*?]/.test(pattern.slice(0, pattern.indexOf(':')))) {
      addHit(hits, 'service-wildcard', true, { statementIndex: index, action: pattern, resource });
    } else if (/[*?]/.test(pattern)) {
      addHit(hits, 'wildcard-action-pattern', true, { statementIndex: index, action: pattern, resource });
    }
  }
  if (st.notAction) {
    addHit(hits, 'not-action', true, {
      statementIndex: index,
      resource,
      detail: `allows every action except ${st.notAction.join(', ')}`,
    });
  }
  if (st.notResource) {
    addHit(hits, 'not-resource', true, {
      statementIndex: index,
      detail: `allows every resource except ${st.notResource.join(', ')}`,
    });
  }
  // Allow with NotPrincipal grants everyone except the listed principals (IAM User Guide, "NotPrincipal").
  if (kind === 'resource' && (isAnyPrincipal(st) || st.notPrincipal !== undefined)) {
    const who = st.notPrincipal ? 'NotPrincipal (everyone except the listed principals)' : 'Principal "*"';
    addHit(hits, 'public-access', !conditions.conditional, {
      statementIndex: index,
      resource,
      detail: `${who} ${conditions.conditional ? 'with' : 'without'} conditions`,
    });
  }
}
