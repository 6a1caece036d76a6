import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatTime, oneLine, personLabel, subjectLine } from './notice-text.ts';
import { sampleNotice } from './sample-notices.ts';

test('formatDuration: hours and minutes', () => {
  assert.equal(formatDuration(2), '2 h');
  assert.equal(formatDuration(0.5), '30 min');
  assert.equal(formatDuration(1.5), '1 h 30 min');
});

test('formatTime: minutes in UTC; unparseable input is shown as is', () => {
  assert.equal(formatTime('2026-11-23T18:00:59.000Z'), '2026-11-23 18:00 UTC');
  assert.equal(formatTime('soon'), 'soon');
});

test('personLabel: e-mail, else id; system is iam-jit', () => {
  assert.equal(personLabel({ id: 'usr_1', email: null }), 'usr_1');
  assert.equal(personLabel({ id: 'usr_1', email: 'a@example.com' }), 'a@example.com');
  assert.equal(personLabel({ id: 'system', email: null }), 'iam-jit');
});

test('subjectLine: control characters cannot split the header', () => {
  const n = sampleNotice('request.submitted');
  const evil = {
    ...n,
    request: { ...n.request, accounts: [{ id: '1', name: 'Prod\r\nBcc: x@evil.example' }] },
  };
  assert.equal(
    subjectLine(evil),
    '[iam-jit] Access request awaiting approval: alice@example.com on Prod Bcc: x@evil.example',
  );
  assert.equal(oneLine('a\u0000\tb'), 'a b');
});
