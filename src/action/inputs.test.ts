import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getInput, readActionInputs } from './inputs.ts';

test('inputs: names are upper-cased with dashes kept, values trimmed', () => {
  assert.equal(getInput({ 'INPUT_POLICY-FILE': '  iam/*.json \n' }, 'policy-file'), 'iam/*.json');
  assert.equal(getInput({}, 'preset'), '');
});

test('inputs: the standard preset by default (threshold 5, read-write, duration 1)', () => {
  const r = readActionInputs({ 'INPUT_POLICY-FILE': 'a.json\n!b.json\n' });
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    policyFiles: ['a.json', '!b.json'],
    preset: 'standard',
    threshold: 5,
    accessType: 'read-write',
    durationHours: 1,
    commentOnPr: false,
    sarifOutput: '',
    githubToken: '',
  });
});

test('inputs: strict is threshold 3 + read-only; permissive 7; explicit inputs override the preset', () => {
  const strict = readActionInputs({ 'INPUT_POLICY-FILE': 'a', INPUT_PRESET: 'strict' });
  assert.ok(strict.ok && strict.value.threshold === 3 && strict.value.accessType === 'read-only');
  const permissive = readActionInputs({ 'INPUT_POLICY-FILE': 'a', INPUT_PRESET: 'permissive' });
  assert.ok(permissive.ok && permissive.value.threshold === 7);
  const overridden = readActionInputs({
    'INPUT_POLICY-FILE': 'a',
    INPUT_PRESET: 'strict',
    INPUT_THRESHOLD: '6',
    'INPUT_ACCESS-TYPE': 'read-write',
    'INPUT_COMMENT-ON-PR': 'true',
    GITHUB_TOKEN: 'tok',
  });
  assert.ok(overridden.ok);
  assert.equal(overridden.value.threshold, 6);
  assert.equal(overridden.value.accessType, 'read-write');
  assert.equal(overridden.value.commentOnPr, true);
  assert.equal(overridden.value.githubToken, 'tok');
});

test('inputs: every problem is reported at once', () => {
  const r = readActionInputs({
    INPUT_PRESET: 'lenient',
    INPUT_THRESHOLD: 'x',
    'INPUT_ACCESS-TYPE': 'admin',
    'INPUT_DURATION-HOURS': '-1',
    'INPUT_COMMENT-ON-PR': 'maybe',
  });
  assert.ok(!r.ok);
  assert.equal(r.error.length, 6);
  assert.match(r.error.join('\n'), /policy-file is required/);
  assert.match(r.error.join('\n'), /preset must be strict, standard or permissive, got lenient/);
});
