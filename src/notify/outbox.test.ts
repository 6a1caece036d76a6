import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES } from './notice.ts';
import { noticeTypeFor, outboxJobs } from './outbox.ts';

const at = new Date('2026-11-23T16:00:00.000Z');

test('notifiable actions map to notice types; a partial approval and other actions send nothing', () => {
  assert.equal(noticeTypeFor('request.submitted', {}), 'request.submitted');
  assert.equal(noticeTypeFor('request.approved', { to_status: 'pending' }), undefined);
  assert.equal(noticeTypeFor('request.approved', { to_status: 'approved' }), 'request.approved');
  assert.equal(noticeTypeFor('grant.revoked', {}), 'grant.revoked');
  assert.equal(noticeTypeFor('grant.provision_failed', { error: 'AccessDenied' }), 'grant.failed');
  for (const action of [
    'auth.login',
    'token.minted',
    'grant.created',
    'grant.revoke_requested',
    'alert.notification_dead',
  ])
    assert.equal(noticeTypeFor(action, {}), undefined, action);
  // Every notice type but the scheduled reminder has an audit action that sends it.
  const reached = NOTICE_TYPES.filter((t) => noticeTypeFor(t, { to_status: 'approved' }) === t);
  assert.deepEqual(
    NOTICE_TYPES.filter((t) => !reached.includes(t)),
    ['grant.expiring'],
  );
});

test('outbox jobs: dispatch per notifiable event, and the expiring reminder 15 minutes before not_after', () => {
  assert.deepEqual(outboxJobs({ seq: 7, at, action: 'request.submitted', subject: 'req_1', data: {} }), [
    { type: 'notify.dispatch', payload: { seq: 7 }, runAt: at, dedupeKey: 'notify:evt_7', maxAttempts: 50 },
  ]);
  assert.deepEqual(outboxJobs({ seq: 8, at, action: 'auth.login', subject: null, data: {} }), []);
  const jobs = outboxJobs({
    seq: 9,
    at,
    action: 'grant.activated',
    subject: 'grt_1',
    data: { not_after: '2026-11-23T18:00:00.000Z' },
  });
  assert.deepEqual(
    jobs.map((j) => [j.type, j.runAt?.toISOString(), j.dedupeKey, j.payload]),
    [
      ['notify.dispatch', at.toISOString(), 'notify:evt_9', { seq: 9 }],
      [
        'notify.grant_expiring',
        '2026-11-23T17:45:00.000Z',
        `notify:evt_grt_1_expiring_${Date.parse('2026-11-23T18:00:00.000Z') / 1000}`,
        { grantId: 'grt_1', notAfter: '2026-11-23T18:00:00.000Z' },
      ],
    ],
  );
  // Extended: the reminder follows the new end; less than 15 minutes left: at once; already ended: none.
  const extended = outboxJobs({
    seq: 10,
    at,
    action: 'grant.extended',
    subject: 'grt_1',
    data: { to: '2026-11-23T20:00:00.000Z' },
  });
  assert.equal(extended[1]?.runAt?.toISOString(), '2026-11-23T19:45:00.000Z');
  const short = outboxJobs({
    seq: 11,
    at,
    action: 'grant.activated',
    subject: 'grt_2',
    data: { not_after: '2026-11-23T16:05:00.000Z' },
  });
  assert.equal(short[1]?.runAt?.toISOString(), at.toISOString());
  const ended = outboxJobs({
    seq: 12,
    at,
    action: 'grant.activated',
    subject: 'grt_3',
    data: { not_after: '2026-11-23T15:00:00.000Z' },
  });
  assert.equal(ended.length, 1);
});
