// Unit tests for condition operators. Source: IAM User Guide, "IAM JSON policy elements: Condition operators"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildContext } from './context.ts';
import { compileValues, parseDate, parseNumber, parseOperator } from './operators.ts';

const empty = buildContext(undefined, undefined);

function matches(operator: string, policyValues: string[], requestValue: string, context = empty): boolean {
  const op = parseOperator(operator);
  assert.ok(op, `operator ${operator} should parse`);
  return compileValues(op, policyValues)(requestValue, context);
}

describe('parseOperator', () => {
  test('reads set qualifiers, IfExists and negation', () => {
    assert.deepEqual(parseOperator('ForAllValues:StringNotLikeIfExists'), {
      base: 'StringNotLike',
      family: 'String',
      comparison: 'like',
      negated: true,
      wildcards: true,
      name: 'ForAllValues:StringNotLikeIfExists',
      ifExists: true,
      set: 'ForAllValues',
    });
    assert.equal(parseOperator('ForAnyValue:StringEquals')?.set, 'ForAnyValue');
    assert.equal(parseOperator('NotIpAddress')?.negated, true);
    assert.equal(parseOperator('ArnNotEquals')?.comparison, 'like');
    assert.equal(parseOperator('DateLessThanEqualsIfExists')?.comparison, 'lte');
  });
  test('rejects unknown operators, unknown qualifiers and Null with IfExists', () => {
    assert.equal(parseOperator('StringEqualz'), undefined);
    assert.equal(parseOperator('ForSomeValues:StringEquals'), undefined);
    assert.equal(parseOperator('NullIfExists'), undefined);
    assert.equal(parseOperator('ForAllValues:Null'), undefined);
  });
});

describe('value parsing', () => {
  test('dates: ISO 8601 profiles, offsets and epoch seconds', () => {
    assert.equal(parseDate('2020-01-01T00:00:01Z'), Date.UTC(2020, 0, 1, 0, 0, 1));
    assert.equal(parseDate('2020-01-01'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('2020'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('2020-01-01T02:00:00+02:00'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('2020-01-01T00:00:00'), Date.UTC(2020, 0, 1), 'no zone is read as UTC');
    assert.equal(parseDate('1577836800'), Date.UTC(2020, 0, 1));
    assert.ok(Number.isNaN(parseDate('yesterday')));
    assert.ok(Number.isNaN(parseDate('${aws:CurrentTime}')));
  });
  test('numbers: integers and decimals, nothing else', () => {
    assert.equal(parseNumber('10'), 10);
    assert.equal(parseNumber('-2.5'), -2.5);
    assert.equal(parseNumber(' 3 '), 3);
    assert.ok(Number.isNaN(parseNumber('ten')));
    assert.ok(Number.isNaN(parseNumber('')));
    assert.ok(Number.isNaN(parseNumber('0x10')));
  });
});

describe('string operators', () => {
  test('StringEquals is exact and case-sensitive', () => {
    assert.equal(matches('StringEquals', ['a', 'b'], 'b'), true);
    assert.equal(matches('StringEquals', ['a'], 'A'), false);
    assert.equal(matches('StringEquals', ['a*'], 'abc'), false, 'no wildcards in StringEquals');
    assert.equal(matches('StringEquals', ['cost${$}'], 'cost$'), true, '${$} is a literal dollar');
    assert.equal(matches('StringEquals', ['a${*}'], 'a*'), true);
  });
  test('StringEqualsIgnoreCase folds case', () => {
    assert.equal(matches('StringEqualsIgnoreCase', ['Admin'], 'ADMIN'), true);
  });
  test('StringLike: * and ? wildcards, everything else literal', () => {
    assert.equal(matches('StringLike', ['home/*'], 'home/a/b'), true);
    assert.equal(matches('StringLike', ['file-?.txt'], 'file-1.txt'), true);
    assert.equal(matches('StringLike', ['file-?.txt'], 'file-10.txt'), false);
    assert.equal(matches('StringLike', ['a.c'], 'abc'), false, 'a dot is literal');
    assert.equal(matches('StringLike', ['(x)|[y]'], '(x)|[y]'), true);
  });
  test('policy variables resolve from the context; unresolved values match nothing', () => {
    const ctx = buildContext({ 'aws:PrincipalTag/team': 'red' }, undefined);
    assert.equal(matches('StringEquals', ['${aws:PrincipalTag/team}'], 'red', ctx), true);
    assert.equal(matches('StringLike', ['${aws:PrincipalTag/team}-*'], 'red-1', ctx), true);
    assert.equal(matches('StringEquals', ['${aws:PrincipalTag/missing}'], '', ctx), false);
    assert.equal(matches('StringEquals', ["${aws:PrincipalTag/missing, 'none'}"], 'none', ctx), true);
  });
});

describe('numeric, date, bool, binary, IP and ARN operators', () => {
  test('numeric comparisons', () => {
    assert.equal(matches('NumericLessThan', ['10'], '9.99'), true);
    assert.equal(matches('NumericLessThan', ['10'], '10'), false);
    assert.equal(matches('NumericGreaterThanEquals', ['10'], '10'), true);
    assert.equal(matches('NumericEquals', ['10'], '10.0'), true);
    assert.equal(matches('NumericEquals', ['10'], 'x'), false);
  });
  test('date comparisons across formats', () => {
    assert.equal(matches('DateLessThan', ['2020-01-01T00:00:00Z'], '1577836799'), true);
    assert.equal(matches('DateGreaterThan', ['1577836800'], '2020-01-01T00:00:01Z'), true);
    assert.equal(matches('DateEquals', ['2020-01-01'], '2020-01-01T00:00:00.000Z'), true);
  });
  test('Bool compares true/false case-insensitively', () => {
    assert.equal(matches('Bool', ['true'], 'TRUE'), true);
    assert.equal(matches('Bool', ['false'], 'true'), false);
  });
  test('BinaryEquals compares decoded bytes', () => {
    assert.equal(matches('BinaryEquals', ['QUJD'], 'QUJD'), true);
    assert.equal(matches('BinaryEquals', ['QUJD'], 'QUJE'), false);
    assert.equal(matches('BinaryEquals', ['QUJD'], 'not base64!'), false);
  });
  test('IpAddress ranges, bare addresses and families', () => {
    assert.equal(matches('IpAddress', ['10.0.0.0/8'], '10.255.0.1'), true);
    assert.equal(matches('IpAddress', ['10.0.0.0/8'], '11.0.0.1'), false);
    assert.equal(matches('IpAddress', ['0.0.0.0/0'], '8.8.8.8'), true);
    assert.equal(
      matches('IpAddress', ['10.0.0.0/8'], '::ffff:10.0.0.1'),
      false,
      'IPv6 never matches an IPv4 range',
    );
    assert.equal(matches('IpAddress', ['2001:db8::/32'], '2001:DB8:ffff::1'), true);
    assert.equal(matches('IpAddress', ['garbage'], '10.0.0.1'), false);
  });
  test('ArnLike compares the six components separately; ArnEquals behaves the same', () => {
    const arn = 'arn:aws:sns:us-east-1:111122223333:topic';
    assert.equal(matches('ArnLike', ['arn:aws:sns:*:111122223333:*'], arn), true);
    assert.equal(matches('ArnEquals', ['arn:aws:sns:*:111122223333:*'], arn), true);
    assert.equal(
      matches('ArnLike', ['arn:aws:sns:*:111122223333:*'], 'arn:aws:sns:us-east-1:1:x:111122223333:y'),
      false,
    );
    assert.equal(
      matches('ArnLike', ['arn:aws:s3:::bucket/*'], 'arn:aws:s3:::bucket/a:b'),
      true,
      'colons in the resource part',
    );
    assert.equal(matches('ArnLike', ['*'], arn), true);
  });
});
