/**
 * The IAM condition operator grammar, shared by validation and simulation so both read an operator the same way:
 * `[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`, matched case-insensitively.
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators" and "Set operators for multivalued
 * context keys" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 */

/** Operator families, by the value type they compare. */
export const OPERATOR_FAMILIES = [
  'String',
  'Numeric',
  'Date',
  'Bool',
  'Binary',
  'IpAddress',
  'Arn',
  'Null',
] as const;
export type OperatorFamily = (typeof OPERATOR_FAMILIES)[number];

/** The comparison an operator performs (negation is separate). */
export const COMPARISONS = [
  'equals',
  'equalsIgnoreCase',
  'like',
  'lt',
  'lte',
  'gt',
  'gte',
  'inRange',
  'null',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** An operator as written, split into its set qualifier, base operator and `IfExists` suffix. */
export interface ConditionOperator {
  /** The operator exactly as written, e.g. `ForAllValues:StringNotLikeIfExists`. */
  name: string;
  /** The base operator with canonical casing, e.g. `StringNotLike`. */
  base: string;
  family: OperatorFamily;
  comparison: Comparison;
  /** Negated operators (`StringNotEquals`, `NotIpAddress`, …) match when no policy value matches. */
  negated: boolean;
  /** Wildcards `*`/`?` in values are honoured (StringLike, ArnEquals/ArnLike and their negations). */
  wildcards: boolean;
  set?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
}

type Base = Pick<ConditionOperator, 'base' | 'family' | 'comparison' | 'negated'>;

const BASES = new Map<string, Base>();
function define(base: string, family: OperatorFamily, comparison: Comparison, negated = false): void {
  BASES.set(base.toLowerCase(), { base, family, comparison, negated });
}
define('StringEquals', 'String', 'equals');
define('StringNotEquals', 'String', 'equals', true);
define('StringEqualsIgnoreCase', 'String', 'equalsIgnoreCase');
define('StringNotEqualsIgnoreCase', 'String', 'equalsIgnoreCase', true);
define('StringLike', 'String', 'like');
define('StringNotLike', 'String', 'like', true);
for (const family of ['Numeric', 'Date'] as const) {
  define(`${family}Equals`, family, 'equals');
  define(`${family}NotEquals`, family, 'equals', true);
  define(`${family}LessThan`, family, 'lt');
  define(`${family}LessThanEquals`, family, 'lte');
  define(`${family}GreaterThan`, family, 'gt');
  define(`${family}GreaterThanEquals`, family, 'gte');
}
define('Bool', 'Bool', 'equals');
define('BinaryEquals', 'Binary', 'equals');
define('IpAddress', 'IpAddress', 'inRange');
define('NotIpAddress', 'IpAddress', 'inRange', true);
// ArnEquals and ArnLike behave identically: both honour wildcards.
define('ArnEquals', 'Arn', 'like');
define('ArnLike', 'Arn', 'like');
define('ArnNotEquals', 'Arn', 'like', true);
define('ArnNotLike', 'Arn', 'like', true);
define('Null', 'Null', 'null');

/**
 * Parses an operator name; undefined for an unknown qualifier or base operator. Combinations IAM rejects or that
 * make no sense (`NullIfExists`, `ForAllValues:Null`) are returned as parsed: each caller decides (validation
 * reports them, simulation fails closed).
 */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let set: ConditionOperator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === 'foranyvalue') set = 'ForAnyValue';
    else if (qualifier === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASES.get(rest.toLowerCase());
  if (!base) return undefined;
  return { name, ...base, wildcards: base.comparison === 'like', ifExists, ...(set ? { set } : {}) };
}
