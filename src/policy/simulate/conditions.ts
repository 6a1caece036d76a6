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

/** Evaluates one compiled condition (operator + key + values). */
export function evaluateCondition(condition: CompiledCondition, context: RequestContext): boolean {
  const op = condition.operator;
  if (!op) return false;
  const entry = context.get(condition.key);
  const requestValues = entry?.values ?? [];
  const present = requestValues.length > 0;
  if (op.family === 'Null') {
    return condition.values.some((v) =>
      v.trim().toLowerCase() === 'true' ? !present : v.trim().toLowerCase() === 'false' && present,
    );
  }
  const satisfies = (value: string): boolean => condition.matchesAny(value, context) !== op.negated;
  if (op.set === 'ForAllValues') return !present || requestValues.every(satisfies);
  if (op.set === 'ForAnyValue') return present ? requestValues.some(satisfies) : op.ifExists;
  if (!present) return op.ifExists || op.negated;
  // A plain operator over several request values: matches when any value matches (negated: when none does).
  const anyMatch = requestValues.some((value) => condition.matchesAny(value, context));
  return anyMatch !== op.negated;
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
