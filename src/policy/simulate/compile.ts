/**
 * Compiles a normalised `Policy` once into matchers (actions, resources, conditions) and caches the result per
 * policy object in a WeakMap, so repeated simulations against the same policy objects do no pattern work.
 * Policies must not be mutated after their first simulation (the cache is keyed by identity).
 */
import type { Effect, Policy, Principal, Statement } from '../types.ts';
import { wildcardToRegExp } from '../wildcard.ts';
import { type CompiledCondition, compileConditions } from './conditions.ts';
import type { RequestContext } from './context.ts';
import { hasWildcardParts, matcherFor, patternSource } from './patterns.ts';
import { actionKeysOf, createStatementIndex } from './statement-index.ts';
import { parseTemplate, partsToString, resolveTemplate, type Template } from './variables.ts';

const EMPTY_CONTEXT: RequestContext = new Map();

/** Matches a lower-cased action name. */
export type ActionMatcher = (actionLower: string) => boolean;

/** Matches a resource ARN under a request context (policy variables resolve per request). */
export type ResourceMatcher = (resource: string, context: RequestContext) => boolean;

/** A statement with its matchers compiled (see `compilePolicy`). */
export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: Effect;
  /** True when the statement's Action (or complement of NotAction) covers the action. */
  matchesAction: ActionMatcher;
  /** True when Resource covers the resource (or NotResource does not); no element: every resource. */
  matchesResource: ResourceMatcher;
  principal?: Principal;
  notPrincipal?: Principal;
  conditions: CompiledCondition[];
}

/** A policy compiled for evaluation, cached per `Policy` object. */
export interface CompiledPolicy {
  statements: CompiledStatement[];
  /** Statements whose Action/NotAction covers the lower-cased action, in document order (memoised per action). */
  statementsFor(actionLower: string): readonly CompiledStatement[];
}

function createCompiledPolicy(policy: Policy): CompiledPolicy {
  const statements = policy.statements.map(compileStatement);
  const statementsFor = createStatementIndex(statements, policy.statements.map(actionKeysOf), (st, a) =>
    st.matchesAction(a),
  );
  return { statements, statementsFor };
}

const ALWAYS = (): boolean => true;
const NEVER = (): boolean => false;

/** Action patterns → matcher: literals in a Set, wildcards in one RegExp per service prefix. */
export function compileActionPatterns(patterns: readonly string[]): ActionMatcher {
  if (patterns.includes('*')) return ALWAYS;
  if (patterns.length === 1) {
    const only = patterns[0]!.toLowerCase();
    if (!only.includes('*') && !only.includes('?')) return (a) => a === only;
    const re = wildcardToRegExp(only, { caseInsensitive: true });
    return (a) => re.test(a);
  }
  const exact = new Set<string>();
  const wild = new Map<string, string[]>();
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (!lower.includes('*') && !lower.includes('?')) {
      exact.add(lower);
      continue;
    }
    const colon = lower.indexOf(':');
    const service = colon > 0 && !/[*?]/.test(lower.slice(0, colon)) ? lower.slice(0, colon) : '*';
    const list = wild.get(service) ?? [];
    list.push(wildcardToRegExp(lower, { caseInsensitive: true }).source);
    wild.set(service, list);
  }
  const byService = new Map<string, RegExp>();
  for (const [service, sources] of wild) byService.set(service, new RegExp(sources.join('|'), 'is'));
  const anyService = byService.get('*');
  if (byService.size === 0) return exact.size === 0 ? NEVER : (a) => exact.has(a);
  return (a) => {
    if (exact.has(a)) return true;
    const colon = a.indexOf(':');
    const re = byService.get(colon > 0 ? a.slice(0, colon) : a);
    return re?.test(a) === true || anyService?.test(a) === true;
  };
}

/** Resource patterns → matcher: static patterns precompiled, patterns with policy variables resolved per request. */
export function compileResourcePatterns(patterns: readonly string[]): ResourceMatcher {
  if (patterns.includes('*')) return ALWAYS;
  const exact = new Set<string>();
  const staticSources: string[] = [];
  const dynamic: Template[] = [];
  for (const pattern of patterns) {
    const template = parseTemplate(pattern);
    if (template.hasVariables) {
      dynamic.push(template);
      continue;
    }
    const parts = resolveTemplate(template, EMPTY_CONTEXT)!;
    if (hasWildcardParts(parts)) staticSources.push(patternSource(parts, 'resource'));
    else exact.add(partsToString(parts));
  }
  const combined = staticSources.length ? new RegExp(`^(?:${staticSources.join('|')})$`, 's') : undefined;
  return (resource, context) => {
    if (exact.has(resource)) return true;
    if (combined?.test(resource)) return true;
    for (const template of dynamic) {
      // IAM: a Resource entry with a variable that has no value matches no resource.
      const parts = resolveTemplate(template, context);
      if (parts && matcherFor(parts, 'resource')(resource)) return true;
    }
    return false;
  };
}

function compileStatement(st: Statement): CompiledStatement {
  const actionMatcher = st.action
    ? compileActionPatterns(st.action)
    : st.notAction
      ? compileActionPatterns(st.notAction)
      : NEVER;
  const matchesAction: ActionMatcher = st.action || !st.notAction ? actionMatcher : (a) => !actionMatcher(a);
  let matchesResource: ResourceMatcher = ALWAYS;
  if (st.resource) matchesResource = compileResourcePatterns(st.resource);
  else if (st.notResource) {
    const inner = compileResourcePatterns(st.notResource);
    matchesResource = (r, c) => !inner(r, c);
  }
  return {
    index: st.index,
    ...(st.sid !== undefined ? { sid: st.sid } : {}),
    effect: st.effect,
    matchesAction,
    matchesResource,
    ...(st.principal ? { principal: st.principal } : {}),
    ...(st.notPrincipal ? { notPrincipal: st.notPrincipal } : {}),
    conditions: compileConditions(st.condition),
  };
}

const cache = new WeakMap<Policy, CompiledPolicy>();

/** Returns the compiled form of a policy, compiling it on first use. Never throws for a normalised Policy. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  let compiled = cache.get(policy);
  if (!compiled) {
    compiled = createCompiledPolicy(policy);
    cache.set(policy, compiled);
  }
  return compiled;
}
