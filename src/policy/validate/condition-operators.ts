/**
 * IAM condition operators and the condition-key types each accepts.
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators" (string, numeric, date, Boolean, binary,
 * IP address, ARN, ...IfExists, Null) and "Set operators for multivalued context keys" (ForAllValues/ForAnyValue).
 */
import type { ConditionKeyType } from '../iam-catalog.ts';

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
/** One of OPERATOR_FAMILIES. */
export type OperatorFamily = (typeof OPERATOR_FAMILIES)[number];

interface BaseOperator {
  name: string;
  family: OperatorFamily;
  /** Wildcards `*`/`?` in values are honoured (StringLike, ArnEquals/ArnLike and negations). */
  wildcards: boolean;
}

const BASES: BaseOperator[] = [
  ...['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'].map(
    (name) => ({
      name,
      family: 'String' as const,
      wildcards: false,
    }),
  ),
  ...['StringLike', 'StringNotLike'].map((name) => ({ name, family: 'String' as const, wildcards: true })),
  ...['Equals', 'NotEquals', 'LessThan', 'LessThanEquals', 'GreaterThan', 'GreaterThanEquals'].flatMap(
    (s) => [
      { name: `Numeric${s}`, family: 'Numeric' as const, wildcards: false },
      { name: `Date${s}`, family: 'Date' as const, wildcards: false },
    ],
  ),
  { name: 'Bool', family: 'Bool', wildcards: false },
  { name: 'BinaryEquals', family: 'Binary', wildcards: false },
  { name: 'IpAddress', family: 'IpAddress', wildcards: false },
  { name: 'NotIpAddress', family: 'IpAddress', wildcards: false },
  ...['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'].map((name) => ({
    name,
    family: 'Arn' as const,
    wildcards: true,
  })),
  { name: 'Null', family: 'Null', wildcards: false },
];
const BASE_BY_NAME = new Map(BASES.map((b) => [b.name.toLowerCase(), b]));

/** A condition operator split into qualifier, base operator and IfExists suffix. */
export interface ParsedOperator {
  /** Base operator with canonical casing, e.g. `StringLike`. */
  base: string;
  family: OperatorFamily;
  wildcards: boolean;
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
}

/** Parses `ForAnyValue:StringLikeIfExists`-style operators; undefined for an unknown operator. */
export function parseOperator(operator: string): ParsedOperator | undefined {
  let rest = operator;
  let qualifier: ParsedOperator['qualifier'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'forallvalues') qualifier = 'ForAllValues';
    else if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_BY_NAME.get(rest.toLowerCase());
  if (!base) return undefined;
  const parsed: ParsedOperator = {
    base: base.name,
    family: base.family,
    wildcards: base.wildcards,
    ifExists,
  };
  if (qualifier) parsed.qualifier = qualifier;
  return parsed;
}

const ACCEPTED: Record<OperatorFamily, readonly ConditionKeyType[]> = {
  String: ['String', 'ArrayOfString', 'ARN', 'ArrayOfARN'],
  Numeric: ['Numeric', 'ArrayOfNumeric'],
  Date: ['Date'],
  Bool: ['Bool', 'ArrayOfBool'],
  Binary: ['Binary'],
  IpAddress: ['IPAddress'],
  Arn: ['ARN', 'ArrayOfARN'],
  Null: [],
};

/** The operator family IAM expects for a key type (the suggestion in a TYPE_MISMATCH finding). */
export function familyForType(type: ConditionKeyType): OperatorFamily {
  switch (type) {
    case 'ARN':
    case 'ArrayOfARN':
      return 'Arn';
    case 'Numeric':
    case 'ArrayOfNumeric':
      return 'Numeric';
    case 'Bool':
    case 'ArrayOfBool':
      return 'Bool';
    case 'Date':
      return 'Date';
    case 'IPAddress':
      return 'IpAddress';
    case 'Binary':
      return 'Binary';
    default:
      return 'String';
  }
}

/**
 * True when an operator family may be used with a key. Exceptions documented by AWS: `aws:EpochTime` takes
 * numeric operators too; a few keys holding ARNs are typed String in the Service Authorization Reference.
 */
export function familyAccepts(family: OperatorFamily, type: ConditionKeyType, key: string): boolean {
  if (family === 'Null') return true;
  if (ACCEPTED[family].includes(type)) return true;
  if (family === 'Numeric' && key.toLowerCase() === 'aws:epochtime') return true;
  if (family === 'Arn' && (type === 'String' || type === 'ArrayOfString') && /arn/i.test(key)) return true;
  return false;
}

/** True for multivalued (set) key types. */
export function isMultivalued(type: ConditionKeyType): boolean {
  return type.startsWith('ArrayOf');
}
