/**
 * Evaluation of a statement's Condition block against the request context.
 * Source: IAM User Guide, "Condition operators" and "Single-valued vs. multivalued context keys":
 * - Operators in a block, and keys under an operator, are ANDed; the values of one key are ORed, and for a
 *   negated operator the request value must match none of them.
 * - A key missing from the context makes the condition false, except for negated operators (true),
 *   `…IfExists` (true) and `Null`.
 * - `ForAllValues:` is true when every request value satisfies the operator, and also when the key is missing
 *   or its value set is empty; `ForAnyValue:` is true when at least one does, and false when the key is missing.
 * - `Null: true` holds when the key is absent (or has an empty value set); `Null: false` when it is present.
 */
import type { ConditionBlock } from '../types.ts';
import type { RequestContext } from './context.ts';
import { type AnyValuePredicate, compileValues, type ParsedOperator, parseOperator } from './operators.ts';

/** One operator/key pair of a Condition block, with its values compiled. */
export interface CompiledCondition {
  /** Operator as written in the policy. */
  operatorName: string;
  /** Undefined for an operator the simulator does not know (the statement then fails closed). */
  operator: ParsedOperator | undefined;
  /** Lower-cased context key. */
  key: string;
  values: readonly string[];
  matchesAny: AnyValuePredicate;
}

/** Compiles a normalised Condition block. Never throws; unknown operators are kept with `operator: undefined`. */
export function compileConditions(block: ConditionBlock | undefined): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  if (!block) return out;
  for (const [operatorName, keys] of Object.entries(block)) {
    const operator = parseOperator(operatorName);
    for (const [key, values] of Object.entries(keys)) {
      out.push({
        operatorName,
        operator,
        key: key.toLowerCase(),
        values,
        matchesAny: operator ? compileValues(operator, values) : () => false,
      });
    }
  }
  return out;
}

/** The outcome of a condition block: `unsupported` when it names an unknown operator. */
export type ConditionOutcome = true | false | 'unsupported';

function isNullTest(values: readonly string[], present: boolean): boolean {
  for (const v of values) {
    const flag = v.trim().toLowerCase();
    if ((flag === 'true' && !present) || (flag === 'false' && present)) return true;
  }
  return false;
}

/** Evaluates one compiled condition (operator + key + values). */
export function evaluateCondition(condition: CompiledCondition, context: RequestContext): boolean {
  const op = condition.operator;
  if (!op) return false;
  const requestValues = context.get(condition.key)?.values;
  const present = requestValues !== undefined && requestValues.length > 0;
  if (op.family === 'Null') return isNullTest(condition.values, present);
  if (!present) {
    if (op.set === 'ForAllValues') return true;
    if (op.set === 'ForAnyValue') return op.ifExists;
    return op.ifExists || op.negated;
  }
  if (op.set === 'ForAllValues') {
    for (const v of requestValues) if (condition.matchesAny(v, context) === op.negated) return false;
    return true;
  }
  if (op.set === 'ForAnyValue') {
    for (const v of requestValues) if (condition.matchesAny(v, context) !== op.negated) return true;
    return false;
  }
  // A plain operator over several request values: matches when any value matches (negated: when none does).
  for (const v of requestValues) if (condition.matchesAny(v, context)) return !op.negated;
  return op.negated;
}

/** Evaluates all conditions of a statement (AND). Unknown operators yield `unsupported`. */
export function evaluateConditions(
  conditions: readonly CompiledCondition[],
  context: RequestContext,
): ConditionOutcome {
  let result: ConditionOutcome = true;
  for (const condition of conditions) {
    if (!condition.operator) {
      result = 'unsupported';
      continue;
    }
    if (!evaluateCondition(condition, context)) return false;
  }
  return result;
}
