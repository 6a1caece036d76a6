import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConditionOperator } from './condition-operators.ts';

// IAM User Guide, "IAM JSON policy elements: Condition operators".
test('operator grammar: qualifiers, IfExists, canonical base names, case-insensitive', () => {
  assert.deepEqual(parseConditionOperator('forallvalues:stringlikeifexists'), {
    name: 'forallvalues:stringlikeifexists',
    base: 'StringLike',
    family: 'String',
    comparison: 'like',
    negated: false,
    wildcards: true,
    ifExists: true,
    set: 'ForAllValues',
  });
  assert.equal(parseConditionOperator('ArnEquals')?.wildcards, true);
  assert.equal(parseConditionOperator('DateGreaterThanEquals')?.comparison, 'gte');
  assert.equal(parseConditionOperator('NotIpAddress')?.negated, true);
  assert.equal(parseConditionOperator('StringEqualz'), undefined);
  assert.equal(parseConditionOperator('ForSomeValues:StringEquals'), undefined);
  // Returned as parsed; validation reports it and simulation refuses it.
  assert.equal(parseConditionOperator('NullIfExists')?.family, 'Null');
});
