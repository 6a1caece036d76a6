import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Grant } from '../../../grants/grant.ts';
import { groupByAccount, isExpiringSoon } from './grants-view.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function grant(
  id: string,
  accountId: string,
  endsInMinutes: number,
  status: Grant['status'] = 'active',
): Grant {
  return {
    id,
    requestId: `req_${id}`,
    accountId,
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status,
    policy: {},
    notBefore: at(-60),
    notAfter: at(endsInMinutes),
    roleName: `iam-jit-${id}`,
    roleArn: null,
    activatedAt: at(-60),
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 1,
    createdAt: at(-61),
    updatedAt: at(-60),
  };
}

test('grants view: expiring soon means live and ending within the hour', () => {
  assert.equal(isExpiringSoon(grant('a', '1', 60), NOW), true);
  assert.equal(isExpiringSoon(grant('a', '1', 61), NOW), false);
  assert.equal(isExpiringSoon(grant('a', '1', 5, 'revoking'), NOW), false);
  assert.equal(isExpiringSoon(grant('a', '1', 5, 'pending'), NOW), true);
});

test('grants view: grouped by account name, soonest end first; unknown accounts show their id', () => {
  const groups = groupByAccount(
    [
      grant('g1', '222222222222', 300),
      grant('g2', '111111111111', 90),
      grant('g3', '222222222222', 30),
      grant('g4', '999999999999', 10),
    ],
    new Map([
      ['111111111111', 'Staging'],
      ['222222222222', 'Production'],
    ]),
  );
  assert.deepEqual(
    groups.map((g) => [g.accountName, g.grants.map((x) => x.id)]),
    [
      ['999999999999', ['g4']],
      ['Production', ['g3', 'g1']],
      ['Staging', ['g2']],
    ],
  );
});
