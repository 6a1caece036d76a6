import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isId, newId } from './ids.ts';

test('newId: prefixed, 26 base32 characters, unique', () => {
  const ids = new Set(Array.from({ length: 500 }, () => newId('usr')));
  assert.equal(ids.size, 500);
  for (const id of ids) {
    assert.match(id, /^usr_[0-9a-hjkmnp-tv-z]{26}$/);
    assert.ok(isId(id, 'usr'));
    assert.ok(!isId(id, 'ses'));
  }
});

test('newId: rejects prefixes that are not 2-5 lowercase letters', () => {
  for (const bad of ['', 'u', 'USR', 'user_', 'toolong', 'u1'])
    assert.throws(() => newId(bad), /invalid prefix/);
  assert.ok(!isId('usr_x', 'usr'));
});
