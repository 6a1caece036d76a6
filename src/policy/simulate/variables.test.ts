// Policy variable parsing and substitution. Source: IAM User Guide, "IAM policy elements: Variables and tags"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildContext } from './context.ts';
import { parseTemplate, partsToString, resolveTemplate } from './variables.ts';

const ctx = buildContext(
  {
    'aws:username': 'alice',
    'aws:PrincipalTag/team': 'yellow',
    'aws:TagKeys': ['a'],
    'aws:PrincipalTag/empty': '',
  },
  undefined,
);
const resolve = (raw: string): string | null => {
  const parts = resolveTemplate(parseTemplate(raw), ctx);
  return parts ? partsToString(parts) : null;
};

test('plain strings have no variables', () => {
  const t = parseTemplate('arn:aws:s3:::bucket/*');
  assert.equal(t.hasVariables, false);
  assert.deepEqual(t.parts, [{ kind: 'pattern', text: 'arn:aws:s3:::bucket/*' }]);
});

test('substitutes single-valued keys, names case-insensitive', () => {
  assert.equal(resolve('home/${aws:username}/'), 'home/alice/');
  assert.equal(resolve('home/${AWS:UserName}/'), 'home/alice/');
  assert.equal(resolve('${aws:PrincipalTag/team}-${aws:username}'), 'yellow-alice');
  assert.equal(resolve('x${aws:PrincipalTag/empty}y'), 'xy', 'an empty string is a value');
});

test('a missing or multivalued key without default makes the whole value null', () => {
  assert.equal(resolve('home/${aws:userid}/'), null);
  assert.equal(resolve('${aws:TagKeys}'), null);
});

test("default values: ${key, 'default'}, quotes doubled inside", () => {
  assert.equal(resolve("bucket-${aws:PrincipalTag/missing, 'company-wide'}"), 'bucket-company-wide');
  assert.equal(resolve("bucket-${aws:PrincipalTag/team, 'company-wide'}"), 'bucket-yellow');
  assert.equal(resolve("${aws:userid, 'anonymous'}"), 'anonymous');
  assert.equal(resolve("${aws:userid,'it''s'}"), "it's");
  assert.equal(resolve("${aws:userid, 'a}b'}"), 'a}b', 'a brace inside the quoted default');
});

test('special variables ${*} ${?} ${$} are literal parts', () => {
  const t = parseTemplate('a${*}b${?}c${$}');
  assert.deepEqual(t.parts, [
    { kind: 'pattern', text: 'a' },
    { kind: 'literal', text: '*' },
    { kind: 'pattern', text: 'b' },
    { kind: 'literal', text: '?' },
    { kind: 'pattern', text: 'c' },
    { kind: 'literal', text: '$' },
  ]);
  assert.equal(t.hasVariables, false);
});

test('malformed variables stay as text', () => {
  assert.equal(resolve('${unterminated'), '${unterminated');
  assert.equal(resolve('${}'), '${}');
  assert.equal(resolve('${a b}'), '${a b}');
});
