/**
 * Narrowing suggestions for Allow statements: wildcard actions replaced by the concrete actions needed (the
 * recorded usage when known, otherwise the explicit expansion with narrower access-level alternatives), and
 * `Resource: "*"` replaced by the ARNs (or ARN templates) of the resource types the actions use. Deny statements
 * are never narrowed: narrowing a Deny widens access. Pure; never throws.
 */
import { type ArnTemplateValues, scopeActionResources } from './arn-template.ts';
import { accessLevelOf, type PolicyDocument, type PolicyDocumentStatement } from './draft.ts';
import { expandActionPatterns } from './expand.ts';
import { type ActionInfo, getIamCatalog } from './iam-catalog.ts';
import {
  ACCESS_LEVELS,
  type AccessLevel,
  type ExpandedAction,
  type Policy,
  type Statement,
} from './types.ts';
import { hasWildcard } from './wildcard.ts';

export const NARROWING_KINDS = ['action', 'resource'] as const;
export type NarrowingKind = (typeof NARROWING_KINDS)[number];

/** A narrower set of actions chosen by access level, offered when usage is unknown. */
export interface AccessLevelAlternative {
  label: string;
  accessLevels: AccessLevel[];
  actions: string[];
}

export interface NarrowingSuggestion {
  statementIndex: number;
  kind: NarrowingKind;
  message: string;
  /** The new `Action` list (kind `action`; empty = drop the statement) or `Resource` list (kind `resource`). */
  replacement: string[];
  /** Kind `resource`: actions that support only `"*"`; narrowPolicy moves them into a statement of their own. */
  keepWildcardFor?: string[];
  /** Kind `action` without usage data: narrower choices by access level. */
  alternatives?: AccessLevelAlternative[];
}

export interface NarrowingOptions extends ArnTemplateValues {
  /** Actions observed in use (e.g. recorded by the agent proxy); patterns are expanded. */
  usedActions?: string[];
  /** ARNs to use in place of templates where they fit the actions' resource types. */
  resources?: string[];
}

/** Above this many concrete actions an explicit list is no improvement (`*` alone is ~17,000 actions). */
export const MAX_EXPLICIT_ACTIONS = 1000;

function levelOf(a: ExpandedAction): AccessLevel {
  return accessLevelOf(a.accessLevel) ?? 'Write';
}

function levelCounts(actions: readonly ExpandedAction[]): string {
  return ACCESS_LEVELS.map((level) => [level, actions.filter((a) => levelOf(a) === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${level} ${n}`)
    .join(', ');
}

function alternativesFor(actions: readonly ExpandedAction[]): AccessLevelAlternative[] {
  const choices: { label: string; accessLevels: AccessLevel[] }[] = [
    { label: 'read-only (List, Read)', accessLevels: ['List', 'Read'] },
    { label: 'without Permissions management', accessLevels: ['List', 'Read', 'Tagging', 'Write'] },
  ];
  return choices.flatMap(({ label, accessLevels }) => {
    const picked = actions.filter((a) => accessLevels.includes(levelOf(a))).map((a) => a.action);
    return picked.length > 0 && picked.length < actions.length
      ? [{ label, accessLevels, actions: picked }]
      : [];
  });
}

function actionSuggestion(
  st: Statement,
  concrete: ExpandedAction[],
  used: Set<string> | undefined,
): NarrowingSuggestion | undefined {
  const patterns = st.action ?? [];
  const wildcards = patterns.filter(hasWildcard);
  if (used) {
    const keep = concrete.filter((a) => used.has(a.action.toLowerCase())).map((a) => a.action);
    if (keep.length === concrete.length && wildcards.length === 0) return undefined;
    const message =
      keep.length === 0
        ? `Statement ${st.index} grants ${concrete.length} action(s) and none was used; remove it.`
        : `Statement ${st.index} grants ${concrete.length} action(s) (${patterns.join(', ')}); the recorded usage needs ${keep.length}: ${keep.join(', ')}.`;
    return { statementIndex: st.index, kind: 'action', message, replacement: keep };
  }
  if (wildcards.length === 0 || concrete.length > MAX_EXPLICIT_ACTIONS) return undefined;
  const alternatives = alternativesFor(concrete);
  const message =
    `${wildcards.join(', ')} in statement ${st.index} expand${wildcards.length === 1 ? 's' : ''} to ${concrete.length} action(s) (${levelCounts(concrete)}). ` +
    'Listing them stops the statement from growing when AWS adds actions' +
    (alternatives.length > 0 ? `; narrower: ${alternatives.map((a) => a.label).join(' or ')}.` : '.');
  return {
    statementIndex: st.index,
    kind: 'action',
    message,
    replacement: concrete.map((a) => a.action),
    ...(alternatives.length > 0 ? { alternatives } : {}),
  };
}

function resourceSuggestion(
  st: Statement,
  actions: readonly ActionInfo[],
  options: NarrowingOptions,
): NarrowingSuggestion | undefined {
  if (!st.resource?.includes('*') || actions.length === 0 || actions.length > MAX_EXPLICIT_ACTIONS)
    return undefined;
  const { partition, region, accountId, resources } = options;
  const scope = scopeActionResources(actions, { resources, values: { partition, region, accountId } });
  const replacement: string[] = [];
  const keepWildcardFor: string[] = [];
  let templated = false;
  for (const { action, grants } of scope.scoped) {
    for (const g of grants) {
      if (!g.resourceType) keepWildcardFor.push(action.id);
      else {
        templated ||= g.templated;
        for (const r of g.resources) if (!replacement.includes(r)) replacement.push(r);
      }
    }
  }
  if (replacement.length === 0) return undefined;
  const parts = [
    `Resource "*" in statement ${st.index} can be narrowed to the resource types its actions use: ${replacement.join(', ')}.`,
  ];
  if (templated) parts.push('Replace the * in the ARN templates with your resource names.');
  if (keepWildcardFor.length > 0) {
    parts.push(`${keepWildcardFor.length} action(s) support only "*" and move to a statement of their own.`);
  }
  return {
    statementIndex: st.index,
    kind: 'resource',
    message: parts.join(' '),
    replacement,
    ...(keepWildcardFor.length > 0 ? { keepWildcardFor } : {}),
  };
}

function infosOf(actions: readonly string[]): ActionInfo[] {
  const catalog = getIamCatalog();
  return actions.flatMap((a) => {
    const info = catalog.action(a);
    return info ? [info] : [];
  });
}

/**
 * Suggestions for each Allow statement with `Action` (NotAction and Deny statements are left alone): at most one
 * of kind `action` and one of kind `resource` per statement, in statement order. With `usedActions`, the
 * resource suggestion is computed for the used actions only.
 */
export function suggestNarrowing(policy: Policy, options: NarrowingOptions = {}): NarrowingSuggestion[] {
  // Expanding also accepts patterns (`s3:Get*`) and any casing in the recorded usage.
  const used = options.usedActions
    ? new Set(expandActionPatterns(options.usedActions).map((a) => a.action.toLowerCase()))
    : undefined;
  const out: NarrowingSuggestion[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Allow' || !st.action) continue;
    const concrete = expandActionPatterns(st.action);
    const act = actionSuggestion(st, concrete, used);
    if (act) out.push(act);
    if (act && act.replacement.length === 0) continue;
    const res = resourceSuggestion(
      st,
      infosOf(used && act ? act.replacement : concrete.map((a) => a.action)),
      options,
    );
    if (res) out.push(res);
  }
  return out;
}

/** Writes a normalised policy back as standard IAM policy JSON (arrays for every list element). */
export function policyToDocument(policy: Policy): PolicyDocument {
  const doc: PolicyDocument = { Version: policy.version ?? '2012-10-17', Statement: [] };
  if (policy.id !== undefined) doc.Id = policy.id;
  doc.Statement = policy.statements.map(statementToJson);
  return doc;
}

function statementToJson(st: Statement): PolicyDocumentStatement {
  // Key order as IAM's console writes it.
  return {
    ...(st.sid !== undefined ? { Sid: st.sid } : {}),
    Effect: st.effect,
    ...(st.principal !== undefined ? { Principal: st.principal } : {}),
    ...(st.notPrincipal !== undefined ? { NotPrincipal: st.notPrincipal } : {}),
    ...(st.action ? { Action: [...st.action] } : {}),
    ...(st.notAction ? { NotAction: [...st.notAction] } : {}),
    ...(st.resource ? { Resource: [...st.resource] } : {}),
    ...(st.notResource ? { NotResource: [...st.notResource] } : {}),
    ...(st.condition ? { Condition: structuredClone(st.condition) } : {}),
  };
}

/**
 * Applies narrowing suggestions (by default those of {@link suggestNarrowing} with the same options) and returns
 * the rewritten policy document. An action suggestion with an empty replacement drops its statement; a resource
 * suggestion with `keepWildcardFor` splits its statement, the wildcard-only actions keeping `Resource: "*"` and
 * the statement's conditions.
 */
export function narrowPolicy(
  policy: Policy,
  options: NarrowingOptions & { suggestions?: NarrowingSuggestion[] } = {},
): PolicyDocument {
  const suggestions = options.suggestions ?? suggestNarrowing(policy, options);
  const statements: Statement[] = [];
  for (const original of policy.statements) {
    const mine = suggestions.filter((s) => s.statementIndex === original.index);
    const act = mine.find((s) => s.kind === 'action');
    const res = mine.find((s) => s.kind === 'resource');
    if (act && act.replacement.length === 0) continue;
    const st: Statement = { ...original, index: statements.length };
    if (act) st.action = [...act.replacement];
    if (!res) {
      statements.push(st);
      continue;
    }
    const keep = new Set((res.keepWildcardFor ?? []).map((a) => a.toLowerCase()));
    if (keep.size === 0 || !st.action) {
      statements.push({ ...st, resource: [...res.replacement] });
      continue;
    }
    const concrete = expandActionPatterns(st.action).map((a) => a.action);
    const scoped = concrete.filter((a) => !keep.has(a.toLowerCase()));
    const unscoped = concrete.filter((a) => keep.has(a.toLowerCase()));
    if (scoped.length > 0) statements.push({ ...st, action: scoped, resource: [...res.replacement] });
    if (unscoped.length > 0) {
      const sid = st.sid ? `${st.sid}WildcardOnly` : undefined;
      statements.push({ ...st, index: statements.length, sid, action: unscoped, resource: ['*'] });
    }
  }
  return policyToDocument({ ...policy, statements: statements.map((s, index) => ({ ...s, index })) });
}
