/**
 * Condition checks: operators, keys (known, and belonging to the statement's services), operator/key type fit,
 * value formats, set qualifiers, Null/IfExists misuse and aws:SourceIp private ranges. Codes and rules follow the
 * Access Analyzer policy check reference; UNKNOWN_CONDITION_FOR_ACTION follows parliament.
 */

import { type ConditionOperator, parseConditionOperator } from '../condition-operators.ts';
import { expandActionPattern } from '../expand.ts';
import { type ConditionKeyInfo, getIamCatalog } from '../iam-catalog.ts';
import type { Statement } from '../types.ts';
import { hasWildcard } from '../wildcard.ts';
import { checkValues } from './check-condition-values.ts';
import { familyAccepts, familyForType, isMultivalued } from './condition-operators.ts';
import {
  elementPath,
  isRawObject,
  pointerSegment,
  type StatementView,
  type ValidationContext,
} from './context.ts';

const TAG_KEYS = new Set(['aws:resourcetag', 'aws:requesttag', 'aws:principaltag']);

/** Looks a key up in the catalog (templated keys, including literal `tag-key` placeholders, resolve there). */
function lookupKey(key: string): ConditionKeyInfo | undefined {
  return getIamCatalog().conditionKey(key);
}

/**
 * Service keys that describe the caller's credentials and so apply to requests to every service. Sources: "Amazon
 * EC2 condition keys" (ec2:SourceInstanceARN, ec2:RoleDelivery), "AWS Lambda condition keys"
 * (lambda:SourceFunctionArn), AWS Glue and Systems Manager credential keys.
 */
const CALLER_KEYS = new Set(
  [
    'ec2:SourceInstanceARN',
    'ec2:RoleDelivery',
    'lambda:SourceFunctionArn',
    'glue:RoleAssumedBy',
    'glue:CredentialIssuingService',
    'ssm:SourceInstanceARN',
  ].map((k) => k.toLowerCase()),
);

/** Services whose keys a statement may use; undefined when any service's keys may apply (`*`, NotAction). */
function statementServices(st: Statement): Set<string> | undefined {
  if (!st.action) return undefined;
  const services = new Set<string>();
  for (const p of st.action) {
    const colon = p.indexOf(':');
    const service = colon < 0 ? p : p.slice(0, colon);
    if (hasWildcard(service)) return undefined;
    services.add(service.toLowerCase());
  }
  return services;
}

/** True when a key is listed for one of the statement's actions or their resource types (cross-service keys). */
function listedForActions(st: Statement, info: ConditionKeyInfo): boolean {
  const wanted = info.key.toLowerCase();
  const catalog = getIamCatalog();
  for (const p of st.action ?? []) {
    for (const e of expandActionPattern(p)) {
      const a = catalog.action(e.action);
      if (!a) continue;
      if (a.conditionKeys.some((k) => k.toLowerCase() === wanted)) return true;
      for (const rt of a.resourceTypes) {
        if (rt.conditionKeys.some((k) => k.toLowerCase() === wanted)) return true;
        const def = catalog.resourceType(a.service, rt.name);
        if (def?.conditionKeys.some((k) => k.toLowerCase() === wanted)) return true;
      }
    }
  }
  return false;
}

/** Resolves a key to its definition, reporting unknown or malformed keys. Undefined type = free-form key. */
function resolveKey(
  ctx: ValidationContext,
  view: StatementView,
  key: string,
  path: string,
): { ok: boolean; info?: ConditionKeyInfo } {
  const at = view.statement.index;
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    ctx.report(
      'INVALID_CONDITION_KEY_FORMAT',
      `Condition key "${key}" must have the form prefix:name, such as aws:SourceIp.`,
      path,
      at,
    );
    return { ok: false };
  }
  const prefix = key.slice(0, colon).toLowerCase();
  const catalog = getIamCatalog();
  const lower = key.toLowerCase();
  if (prefix === 'aws') {
    if (lower === 'aws:arn') {
      ctx.report(
        'UNSUPPORTED_GLOBAL_CONDITION_KEY',
        'The condition key aws:ARN is not supported; use aws:PrincipalArn or aws:SourceArn.',
        path,
        at,
      );
      return { ok: false };
    }
    if (TAG_KEYS.has(lower.replace(/\/$/, ''))) {
      ctx.report(
        'MISSING_TAG_KEY_IN_CONDITION',
        `${key} needs a tag key: write ${key.replace(/\/$/, '')}/tag-key, e.g. ${key.replace(/\/$/, '')}/Project.`,
        path,
        at,
      );
      return { ok: false };
    }
  }
  const info = lookupKey(key);
  if (!info) {
    if (prefix === 'aws') {
      ctx.report(
        'INVALID_GLOBAL_CONDITION_KEY',
        `The global condition key "${key}" does not exist.`,
        path,
        at,
      );
      return { ok: false };
    }
    // Keys of web identity and SAML providers are named after the provider (accounts.google.com:aud,
    // oidc.eks.<region>.amazonaws.com/id/<id>:sub) and are not in the Service Authorization Reference.
    if (/[./]/.test(prefix)) return { ok: true };
    if (!catalog.hasService(prefix)) {
      ctx.report(
        'INVALID_SERVICE',
        `"${prefix}" in condition key "${key}" is not a known service prefix.`,
        path,
        at,
      );
    } else {
      ctx.report(
        'INVALID_SERVICE_CONDITION_KEY',
        `The condition key "${key}" does not exist in service ${prefix}.`,
        path,
        at,
      );
    }
    return { ok: false };
  }
  if (prefix !== 'aws' && !CALLER_KEYS.has(lower)) {
    const services = statementServices(view.statement);
    if (services && !services.has(prefix) && !listedForActions(view.statement, info)) {
      ctx.report(
        'UNKNOWN_CONDITION_FOR_ACTION',
        `The condition key "${key}" applies to none of the statement's actions (${[...services].join(', ')}), so the condition never matches.`,
        path,
        at,
      );
    }
  }
  return { ok: true, info };
}

function checkQualifiers(
  ctx: ValidationContext,
  view: StatementView,
  op: ConditionOperator,
  operator: string,
  key: string,
  info: ConditionKeyInfo | undefined,
  path: string,
): void {
  const at = view.statement.index;
  if (op.family === 'Null' || !info) return;
  if (!familyAccepts(op.family, info.type, key)) {
    ctx.report(
      'TYPE_MISMATCH',
      `${key} is of type ${info.type}; use a ${familyForType(info.type)} operator instead of ${operator}.`,
      path,
      at,
    );
  }
  if (op.set === 'ForAllValues' && !isMultivalued(info.type)) {
    ctx.report(
      'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
      `ForAllValues with the single-valued key ${key} also matches when the key is absent, which can be overly permissive; drop the ForAllValues qualifier.`,
      path,
      at,
    );
  }
  if (!op.set && isMultivalued(info.type)) {
    ctx.report(
      'MISSING_QUALIFIER',
      `${key} can hold several values; use ForAllValues:${op.base} or ForAnyValue:${op.base}.`,
      path,
      at,
    );
  }
}

function checkOperatorBlock(
  ctx: ValidationContext,
  view: StatementView,
  operator: string,
  keys: Record<string, string[]>,
  rawKeys: Record<string, unknown> | undefined,
): void {
  const at = view.statement.index;
  const opPath = `${elementPath(view, 'Condition')}/${pointerSegment(operator)}`;
  const op = parseConditionOperator(operator);
  if (!op) {
    ctx.report('INVALID_CONDITION_OPERATOR', `"${operator}" is not a condition operator.`, opPath, at);
    return;
  }
  if (op.family === 'Null' && op.ifExists) {
    ctx.report('NULL_WITH_IF_EXISTS', 'The Null operator cannot take the IfExists suffix.', opPath, at);
  }
  if (op.family === 'Null' && op.set) {
    ctx.report(
      'NULL_WITH_QUALIFIER',
      `Avoid ${op.set} with Null: it makes the condition always ${op.set === 'ForAllValues' ? 'true' : 'false'}.`,
      opPath,
      at,
    );
  }
  const entries = Object.entries(keys);
  if (entries.length === 0) {
    ctx.report('EMPTY_OBJECT_CONDITION', `${operator} has no condition keys; remove it.`, opPath, at);
    return;
  }
  const seen = new Map<string, string>();
  for (const [key, values] of entries) {
    const keyPath = `${opPath}/${pointerSegment(key)}`;
    const other = seen.get(key.toLowerCase());
    if (other !== undefined) {
      ctx.report(
        'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
        `${key} and ${other} are the same condition key (names are case-insensitive); merge them.`,
        keyPath,
        at,
      );
    }
    seen.set(key.toLowerCase(), key);
    const { ok, info } = resolveKey(ctx, view, key, keyPath);
    if (values.length === 0) {
      const code = op.set
        ? op.set === 'ForAllValues'
          ? 'EMPTY_ARRAY_CONDITION_FORALLVALUES'
          : 'EMPTY_ARRAY_CONDITION_FORANYVALUE'
        : op.ifExists
          ? 'EMPTY_ARRAY_CONDITION_IFEXISTS'
          : 'EMPTY_ARRAY_CONDITION';
      ctx.report(code, `${key} under ${operator} has no values.`, keyPath, at);
      continue;
    }
    if (ok) checkQualifiers(ctx, view, op, operator, key, info, keyPath);
    const valuesAreArray = rawKeys ? Array.isArray(rawKeys[key]) : true;
    const valuePath = (i: number): string => (valuesAreArray ? `${keyPath}/${i}` : keyPath);
    checkValues(ctx, { view, op, operator, key, values, keyPath, valuePath });
  }
}

/** Runs the condition checks over every statement. */
export function checkConditions(ctx: ValidationContext): void {
  for (const view of ctx.statements) {
    const cond = view.statement.condition;
    if (!cond) continue;
    const ops = Object.entries(cond);
    if (ops.length === 0) {
      ctx.report(
        'EMPTY_OBJECT_CONDITION',
        'The Condition block is empty; remove it or add conditions.',
        elementPath(view, 'Condition'),
        view.statement.index,
      );
      continue;
    }
    const rawCond = view.raw?.Condition;
    for (const [operator, keys] of ops) {
      const rawKeys = isRawObject(rawCond) ? rawCond[operator] : undefined;
      checkOperatorBlock(ctx, view, operator, keys, isRawObject(rawKeys) ? rawKeys : undefined);
    }
  }
}
