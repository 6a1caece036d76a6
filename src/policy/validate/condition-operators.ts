/**
 * The condition-key types each operator family accepts (the operator grammar is in ../condition-operators.ts).
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators" (string, numeric, date, Boolean, binary,
 * IP address, ARN, ...IfExists, Null) and "Set operators for multivalued context keys" (ForAllValues/ForAnyValue).
 */
import type { OperatorFamily } from '../condition-operators.ts';
import type { ConditionKeyType } from '../iam-catalog.ts';

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
