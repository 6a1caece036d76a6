import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchActions } from './action-search.ts';

test('searchActions: matches service:Action case-insensitively, grouped in access-level order', () => {
  const groups = searchActions('s3:getobject');
  const ids = groups.flatMap((g) => g.actions.map((a) => a.id));
  assert.ok(ids.includes('s3:GetObject'), ids.join(' '));
  assert.equal(ids[0], 's3:GetObject', 'exact prefix matches first, shortest first');
  const read = groups.find((g) => g.level === 'Read')?.actions.map((a) => a.id) ?? [];
  const lastS3 = read.findLastIndex((id) => id.startsWith('s3:'));
  const firstOther = read.findIndex((id) => !id.startsWith('s3:'));
  assert.ok(firstOther === -1 || lastS3 < firstOther, 's3:… before s3-outposts:…');
  assert.ok(ids.every((id) => id.toLowerCase().includes('getobject')));
  assert.equal(groups.find((g) => g.actions.some((a) => a.id === 's3:GetObject'))?.level, 'Read');
  const order = groups.map((g) => g.level);
  const levels = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'];
  assert.deepEqual(
    order,
    levels.filter((l) => order.includes(l as never)),
  );
});

test('searchActions: words in any form match; short queries and the limit', () => {
  assert.ok(searchActions('iam listroles').some((g) => g.actions.some((a) => a.id === 'iam:ListRoles')));
  assert.deepEqual(searchActions('s'), []);
  assert.equal(searchActions('get', { limit: 7 }).flatMap((g) => g.actions).length, 7);
  assert.deepEqual(searchActions('zz-no-such-action'), []);
});
