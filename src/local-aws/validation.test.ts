import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringViolation } from './validation.ts';

test('string lengths count characters (code points), as the botocore models do, not UTF-16 units', () => {
  const c = { min: 2, max: 3 };
  assert.equal(stringViolation('abc', c), undefined);
  assert.equal(stringViolation('😀😀😀', c), undefined, 'three characters, six UTF-16 units');
  assert.equal(stringViolation('😀😀😀😀', c), 'Member must have length less than or equal to 3');
  assert.equal(stringViolation('abcd', c), 'Member must have length less than or equal to 3');
  assert.equal(stringViolation('😀', c), 'Member must have length greater than or equal to 2');
  assert.equal(stringViolation('\uD800a', c), undefined, 'a lone surrogate is one character');
  assert.equal(
    stringViolation('a b', { pattern: /^[a-z]+$/ }),
    'Member must satisfy regular expression pattern: [a-z]+',
  );
});
