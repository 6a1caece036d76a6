import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canTransition,
  nextStatus,
  REQUEST_ACTIONS,
  REQUEST_STATUSES,
  TERMINAL_STATUSES,
} from './request-state.ts';

// Source: DESIGN.md §3 (the request lifecycle diagram).
test('the lifecycle of DESIGN.md §3', () => {
  assert.deepEqual(nextStatus('pending', 'approve', { quorumMet: false }), { ok: true, value: 'pending' });
  assert.deepEqual(nextStatus('pending', 'approve', { quorumMet: true }), { ok: true, value: 'approved' });
  assert.deepEqual(nextStatus('pending', 'reject'), { ok: true, value: 'rejected' });
  assert.deepEqual(nextStatus('pending', 'request_changes'), { ok: true, value: 'changes_requested' });
  assert.deepEqual(nextStatus('changes_requested', 'resubmit'), { ok: true, value: 'pending' });
  assert.deepEqual(nextStatus('pending', 'cancel'), { ok: true, value: 'cancelled' });
  assert.deepEqual(nextStatus('changes_requested', 'cancel'), { ok: true, value: 'cancelled' });
  assert.deepEqual(nextStatus('pending', 'time_out'), { ok: true, value: 'timed_out' });
  assert.deepEqual(nextStatus('approved', 'activate'), { ok: true, value: 'active' });
  assert.deepEqual(nextStatus('active', 'expire'), { ok: true, value: 'expired' });
  assert.deepEqual(nextStatus('active', 'revoke'), { ok: true, value: 'revoked' });
  assert.deepEqual(nextStatus('approved', 'fail'), { ok: true, value: 'failed' });
});

test('illegal transitions name the current status and where the action is allowed', () => {
  assert.deepEqual(nextStatus('approved', 'approve'), {
    ok: false,
    error: { action: 'approve', status: 'approved', allowedFrom: ['pending'] },
  });
  assert.deepEqual(nextStatus('pending', 'resubmit'), {
    ok: false,
    error: { action: 'resubmit', status: 'pending', allowedFrom: ['changes_requested'] },
  });
  assert.equal(canTransition('changes_requested', 'approve'), false);
  assert.equal(canTransition('approved', 'cancel'), false);
});

test('terminal statuses allow no action at all', () => {
  for (const status of TERMINAL_STATUSES)
    for (const action of REQUEST_ACTIONS)
      assert.equal(canTransition(status, action), false, `${status} ${action}`);
});

test('every non-terminal status has a way out', () => {
  for (const status of REQUEST_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)))
    assert.ok(
      REQUEST_ACTIONS.some((a) => canTransition(status, a) && nextStatus(status, a, { quorumMet: true }).ok),
      status,
    );
});
