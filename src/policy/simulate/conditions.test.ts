// Condition-block semantics: missing keys, IfExists, negation, set operators, Null, fail-closed operators.
// Sources: IAM User Guide, "Condition operators"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html) and
// "Single-valued vs. multivalued context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConditionBlock } from '../types.ts';
import { compileConditions, evaluateConditions } from './conditions.ts';
import { buildContext } from './context.ts';
import type { ContextValues } from './types.ts';

function holds(block: ConditionBlock, context?: ContextValues): boolean | 'unsupported' {
  return evaluateConditions(compileConditions(block), buildContext(context, undefined));
}

describe('missing keys', () => {
  const families: [string, string][] = [
    ['StringEquals', 'x'],
    ['NumericEquals', '1'],
    ['DateEquals', '2020-01-01'],
    ['Bool', 'true'],
    ['BinaryEquals', 'QUJD'],
    ['IpAddress', '10.0.0.0/8'],
    ['ArnLike', 'arn:aws:s3:::b'],
  ];
  for (const [operator, value] of families) {
    test(`${operator}: missing key is false, with IfExists true`, () => {
      assert.equal(holds({ [operator]: { k: [value] } }), false);
      assert.equal(holds({ [`${operator}IfExists`]: { k: [value] } }), true);
    });
  }
  test('negated operators are true on a missing key', () => {
    for (const op of [
      'StringNotEquals',
      'StringNotLike',
      'NumericNotEquals',
      'DateNotEquals',
      'NotIpAddress',
      'ArnNotLike',
    ]) {
      assert.equal(holds({ [op]: { k: ['1'] } }), true, op);
    }
  });
});

describe('values and keys', () => {
  test('values of one key are ORed; negated operators require no value to match', () => {
    assert.equal(holds({ StringEquals: { k: ['a', 'b'] } }, { k: 'b' }), true);
    assert.equal(holds({ StringNotEquals: { k: ['a', 'b'] } }, { k: 'b' }), false);
    assert.equal(holds({ StringNotEquals: { k: ['a', 'b'] } }, { k: 'c' }), true);
  });
  test('keys and operators are ANDed', () => {
    assert.equal(holds({ StringEquals: { a: ['1'], b: ['2'] } }, { a: '1', b: '3' }), false);
    assert.equal(holds({ StringEquals: { a: ['1'] }, Bool: { b: ['true'] } }, { a: '1', b: 'true' }), true);
  });
  test('an empty condition block holds', () => {
    assert.equal(holds({}), true);
  });
});

describe('set operators', () => {
  const tags = { 'aws:TagKeys': ['env', 'owner'] };
  test('ForAllValues: every request value must match', () => {
    assert.equal(
      holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'owner', 'cost'] } }, tags),
      true,
    );
    assert.equal(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, tags), false);
  });
  test('ForAllValues: missing key and empty set are true', () => {
    assert.equal(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }), true);
    assert.equal(
      holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': [] }),
      true,
    );
  });
  test('ForAnyValue: one request value suffices; missing and empty are false', () => {
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } }, tags), true);
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, tags), false);
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }), false);
    assert.equal(
      holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, { 'aws:TagKeys': [] }),
      false,
    );
  });
  test('negated set operators negate per request value', () => {
    assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['env'] } }, tags), false);
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, tags), true);
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'owner'] } }, tags), false);
  });
  test('a plain operator on a multivalued key matches when any value matches', () => {
    assert.equal(holds({ StringEquals: { 'aws:TagKeys': ['owner'] } }, tags), true);
    assert.equal(holds({ StringNotEquals: { 'aws:TagKeys': ['owner'] } }, tags), false);
  });
});

describe('Null', () => {
  test('true when absent, false when present', () => {
    assert.equal(holds({ Null: { k: ['true'] } }), true);
    assert.equal(holds({ Null: { k: ['true'] } }, { k: 'v' }), false);
    assert.equal(holds({ Null: { k: ['false'] } }, { k: 'v' }), true);
    assert.equal(holds({ Null: { k: ['false'] } }), false);
  });
  test('an empty multivalued key counts as null; an empty string does not', () => {
    assert.equal(holds({ Null: { k: ['true'] } }, { k: [] }), true);
    assert.equal(holds({ Null: { k: ['true'] } }, { k: '' }), false);
  });
});

describe('unknown operators', () => {
  test('are reported as unsupported unless another condition is false', () => {
    assert.equal(holds({ StringEqualz: { k: ['v'] } }, { k: 'v' }), 'unsupported');
    assert.equal(holds({ StringEqualz: { k: ['v'] }, StringEquals: { k: ['w'] } }, { k: 'v' }), false);
  });
});
