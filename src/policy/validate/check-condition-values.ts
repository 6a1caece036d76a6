/**
 * Value checks of one condition key: each value must fit the operator's type (Access Analyzer's TYPE_MISMATCH_*),
 * policy variables only with String/ARN operators, wildcards only with Like/ARN operators, one Bool value, and
 * aws:SourceIp ranges that can match (public addresses only, "aws:SourceIp" in "AWS global condition context keys").
 */

import type { ConditionOperator } from '../condition-operators.ts';
import {
  isBase64Value,
  isBoolValue,
  isDateValue,
  isNumberValue,
  isPrivateRange,
  normalisedCidr,
  parseCidr,
} from './condition-values.ts';
import { hasPolicyVariable, type StatementView, type ValidationContext } from './context.ts';

/** One condition key under one operator, with its values and where they sit in the document. */
export interface ValueCheckInput {
  view: StatementView;
  op: ConditionOperator;
  operator: string;
  key: string;
  values: readonly string[];
  keyPath: string;
  valuePath: (i: number) => string;
}

function stripVariables(v: string): string {
  return v.replace(/\$\{[^}]*\}/g, '');
}

function checkStringValues(ctx: ValidationContext, input: ValueCheckInput): void {
  const { op, values, valuePath, view } = input;
  if (op.family !== 'String' || op.wildcards) return;
  const i = values.findIndex((v) => /[*?]/.test(stripVariables(v)));
  if (i >= 0) {
    const like = op.base.startsWith('StringNot') ? 'StringNotLike' : 'StringLike';
    ctx.report(
      'WILDCARD_WITHOUT_LIKE_OPERATOR',
      `"${values[i]}" contains * or ?, which ${op.base} compares literally; use ${like} to match a pattern.`,
      valuePath(i),
      view.statement.index,
    );
  }
}

function checkTypedValue(ctx: ValidationContext, input: ValueCheckInput, v: string, i: number): void {
  const { op, operator, view } = input;
  const path = input.valuePath(i);
  const at = view.statement.index;
  if (hasPolicyVariable(v)) {
    ctx.report(
      'INVALID_VARIABLE_FOR_OPERATOR',
      `Policy variables work only with String and ARN operators, not ${operator}.`,
      path,
      at,
    );
    return;
  }
  switch (op.family) {
    case 'Numeric':
      if (!isNumberValue(v))
        ctx.report('TYPE_MISMATCH_NUMBER', `${operator} needs a number; "${v}" is not one.`, path, at);
      break;
    case 'Date':
      if (!isDateValue(v))
        ctx.report(
          'TYPE_MISMATCH_DATE',
          `${operator} needs an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) or epoch seconds; "${v}" is neither.`,
          path,
          at,
        );
      break;
    case 'Bool':
    case 'Null':
      if (!isBoolValue(v))
        ctx.report('TYPE_MISMATCH_BOOLEAN', `${operator} needs true or false; "${v}" is neither.`, path, at);
      break;
    case 'Binary':
      if (!isBase64Value(v))
        ctx.report(
          'TYPE_MISMATCH_STRING',
          `${operator} needs a base64-encoded value; "${v}" is not.`,
          path,
          at,
        );
      break;
    case 'IpAddress': {
      const cidr = parseCidr(v);
      if (!cidr) {
        ctx.report(
          'TYPE_MISMATCH_IP_RANGE',
          `${operator} needs an IP address or CIDR block such as 203.0.113.0/24; "${v}" is not one.`,
          path,
          at,
        );
      } else {
        const better = normalisedCidr(cidr);
        if (better)
          ctx.report(
            'IMPROVE_IP_RANGE',
            `The bits after the prefix length of ${v} are ignored; write ${better}.`,
            path,
            at,
          );
      }
      break;
    }
    default:
      break;
  }
}

function checkSourceIp(ctx: ValidationContext, input: ValueCheckInput): void {
  const { op, key, values, keyPath, view } = input;
  if (op.family !== 'IpAddress' || key.toLowerCase() !== 'aws:sourceip') return;
  const parsed = values.map((v) => ({ v, c: parseCidr(v) })).filter((x) => x.c !== undefined);
  if (parsed.length === 0) return;
  const privateCount = parsed.filter((x) => x.c && isPrivateRange(x.c, x.v)).length;
  if (privateCount === 0) return;
  const negated = op.base === 'NotIpAddress';
  const all = privateCount === parsed.length;
  const code = negated
    ? all
      ? 'PRIVATE_NOT_IP_ADDRESS'
      : 'PRIVATE_NOT_IP_ADDRESS_SUBSET'
    : all
      ? 'PRIVATE_IP_ADDRESS'
      : 'PRIVATE_IP_ADDRESS_SUBSET';
  ctx.report(
    code,
    `aws:SourceIp holds only public addresses; the private ranges here ${negated ? 'have no effect' : 'never match'}. Use aws:VpcSourceIp for addresses inside a VPC.`,
    keyPath,
    view.statement.index,
  );
}

/** Checks the values of one condition key under one operator. */
export function checkValues(ctx: ValidationContext, input: ValueCheckInput): void {
  const { op, values } = input;
  if (op.family === 'String' || op.family === 'Arn') {
    checkStringValues(ctx, input);
    return;
  }
  values.forEach((v, i) => {
    checkTypedValue(ctx, input, v, i);
  });
  if (op.family === 'Bool' && !op.set && values.length > 1) {
    ctx.report(
      'INVALID_CONDITION_MULTIPLE_BOOLEAN',
      `${input.key} takes a single Boolean value; use one of true or false.`,
      input.keyPath,
      input.view.statement.index,
    );
  }
  checkSourceIp(ctx, input);
}
