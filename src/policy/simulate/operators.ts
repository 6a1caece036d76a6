/**
 * Condition operators: the name grammar (`[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`) and, per family,
 * a compiled predicate answering "does this request value match any of the policy values?".
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Policy variables are honoured for String, ARN and Bool operators only, as documented; elsewhere `${…}` is text.
 */
import { type Comparison, type ConditionOperator, parseConditionOperator } from '../condition-operators.ts';
import type { RequestContext } from './context.ts';
import { cidrContains, parseCidr, parseIp } from './ip.ts';
import { matcherFor, type ValueMatcher } from './patterns.ts';
import { parseTemplate, partsToString, type ResolvedParts, resolveTemplate } from './variables.ts';

const EMPTY_CONTEXT: RequestContext = new Map();

/** An operator the simulator can evaluate (see `parseOperator`). */
export type ParsedOperator = ConditionOperator;

/**
 * Parses an operator name for evaluation; undefined for unknown operators and for `Null` with `IfExists` or a set
 * qualifier (not allowed by IAM), which the simulator treats fail-closed.
 */
export function parseOperator(name: string): ParsedOperator | undefined {
  const op = parseConditionOperator(name);
  if (!op || (op.family === 'Null' && (op.ifExists || op.set))) return undefined;
  return op;
}

/** "Does the request value match at least one policy value?" (the un-negated comparison). */
export type AnyValuePredicate = (requestValue: string, context: RequestContext) => boolean;

const ISO_RE = /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** Parses an ISO 8601 (W3C profile) date or an epoch-seconds value to milliseconds; NaN when neither. */
export function parseDate(text: string): number {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t) && !/^\d{4}$/.test(t)) return Number(t) * 1000;
  const m = ISO_RE.exec(t);
  if (!m) return Number.NaN;
  // A time without a zone designator is read as UTC so results never depend on the host's time zone.
  return Date.parse(t.includes('T') && m[1] === undefined ? `${t}Z` : t);
}

/** Parses an IAM numeric value (integer or decimal); NaN when malformed. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

function decodeBase64(text: string): Buffer | undefined {
  const t = text.trim();
  return /^[A-Za-z0-9+/]*={0,2}$/.test(t) && t.length % 4 === 0 ? Buffer.from(t, 'base64') : undefined;
}

function ordered(comparison: Comparison, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (comparison) {
    case 'equals':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return false;
  }
}

/** Compiles the policy values of one operator/key pair into a predicate over a single request value. */
export function compileValues(op: ConditionOperator, values: readonly string[]): AnyValuePredicate {
  switch (op.family) {
    case 'Numeric':
    case 'Date': {
      const parse = op.family === 'Numeric' ? parseNumber : parseDate;
      const bounds = values.map(parse);
      return (v) => {
        const x = parse(v);
        return bounds.some((b) => ordered(op.comparison, x, b));
      };
    }
    case 'Binary': {
      const bins = values.map(decodeBase64).filter((b): b is Buffer => b !== undefined);
      return (v) => {
        const x = decodeBase64(v);
        return x !== undefined && bins.some((b) => b.equals(x));
      };
    }
    case 'IpAddress': {
      const ranges = values.map(parseCidr).filter((r) => r !== undefined);
      return (v) => {
        const ip = parseIp(v);
        return ip !== undefined && ranges.some((r) => cidrContains(r, ip));
      };
    }
    case 'Null':
      return () => false;
    default:
      return compileTemplated(op, values);
  }
}

/** String, ARN and Bool values, which may contain policy variables. */
function compileTemplated(op: ConditionOperator, values: readonly string[]): AnyValuePredicate {
  const templates = values.map(parseTemplate);
  const fold = op.comparison === 'equalsIgnoreCase' || op.family === 'Bool';
  const like = op.comparison === 'like';
  if (!like && templates.every((t) => !t.hasVariables)) {
    // `${*}`, `${?}`, `${$}` resolve to their literal characters even without variables.
    const literal = templates.map((t) => partsToString(resolveTemplate(t, EMPTY_CONTEXT)!));
    const set = new Set(literal.map((v) => (fold ? v.toLowerCase() : v)));
    return fold ? (v) => set.has(v.toLowerCase()) : (v) => set.has(v);
  }
  const mode = op.family === 'Arn' ? 'arn' : 'string';
  const matchParts = (parts: ResolvedParts, v: string): boolean => {
    if (like) return matcherFor(parts, mode)(v);
    const s = partsToString(parts);
    return fold ? s.toLowerCase() === v.toLowerCase() : s === v;
  };
  const fixed: (ValueMatcher | undefined)[] = templates.map((t) => {
    if (t.hasVariables) return undefined;
    const parts = resolveTemplate(t, EMPTY_CONTEXT)!;
    return like ? matcherFor(parts, mode) : (v: string) => matchParts(parts, v);
  });
  return (v, context) => {
    for (let i = 0; i < templates.length; i++) {
      const matcher = fixed[i];
      if (matcher) {
        if (matcher(v)) return true;
        continue;
      }
      // A variable with no value makes this policy value effectively null: it matches nothing.
      const parts = resolveTemplate(templates[i]!, context);
      if (parts && matchParts(parts, v)) return true;
    }
    return false;
  };
}
