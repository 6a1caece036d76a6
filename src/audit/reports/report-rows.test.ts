import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approvalReportRows, approvalReportSummary } from './approvals-report.ts';
import { grantReportRows } from './grants-report.ts';
import { emailOf, riskOf } from './report.ts';
import { outcomeOf, riskReportRows } from './risk-report.ts';

test('riskOf reads score and band from a stored review; unreadable reviews give nulls', () => {
  assert.deepEqual(riskOf('{"score":7,"band":"high"}'), { score: 7, band: 'high' });
  assert.deepEqual(riskOf('{"score":4}'), { score: 4, band: 'low' });
  for (const bad of [null, 'not json', '{"score":"7"}', '{"score":11}', '{}'])
    assert.deepEqual(riskOf(bad), { score: null, band: null }, String(bad));
});

test('emailOf: the address of an email: principal, null for an IAM ARN', () => {
  assert.equal(emailOf('email:a@b.co'), 'a@b.co');
  assert.equal(emailOf('iam:arn:aws:iam::111122223333:role/Dev'), null);
});

test('grant rows carry the approved revision risk and the requester email', () => {
  const [row] = grantReportRows([
    {
      grantId: 'g',
      requestId: 'r',
      accountId: '111122223333',
      accountName: 'Dev',
      environment: 'nonprod',
      requesterId: 'email:a@b.co',
      approverIds: ['email:x@b.co', 'email:y@b.co'],
      revision: 2,
      mode: 'iam_role',
      status: 'revoked',
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2026-11-01T02:00:00.000Z',
      activatedAt: '2026-11-01T00:00:01.000Z',
      endedAt: '2026-11-01T01:00:00.000Z',
      endReason: null,
      revokedBy: 'email:x@b.co',
      revokeReason: 'incident over',
      createdAt: '2026-11-01T00:00:00.000Z',
      risk: '{"score":9}',
      justification: 'j',
    },
  ]);
  assert.equal(row?.requester_email, 'a@b.co');
  assert.deepEqual([row?.risk_score, row?.risk_band], [9, 'critical']);
  assert.deepEqual([row?.revoked_by, row?.revoke_reason], ['email:x@b.co', 'incident over']);
});

test('approval summary: decision counts, mean and median wait per approver, sorted by approver', () => {
  const record = (reviewer: string, decision: string, submitted: string | null, decided: string) => ({
    reviewId: `${reviewer}-${decided}`,
    requestId: 'r',
    requesterId: 'email:req@b.co',
    accountIds: ['111122223333'],
    countsFor: ['111122223333'],
    reviewerId: reviewer,
    decision,
    comment: null,
    revision: 1,
    risk: null,
    submittedAt: submitted,
    decidedAt: decided,
  });
  const rows = approvalReportRows([
    record('email:z@b.co', 'approve', '2026-11-01T00:00:00Z', '2026-11-01T00:00:10Z'),
    record('email:z@b.co', 'reject', '2026-11-01T00:00:00Z', '2026-11-01T00:00:20Z'),
    record('email:z@b.co', 'approve', '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z'),
    record('email:z@b.co', 'approve', null, '2026-11-01T00:02:00Z'),
    record('email:a@b.co', 'request_changes', '2026-11-01T00:00:00Z', '2026-11-01T00:00:05Z'),
  ]);
  assert.deepEqual(
    rows.map((r) => r.seconds_to_decision),
    [10, 20, 60, null, 5],
  );
  assert.deepEqual(approvalReportSummary(rows, false).approvers, [
    {
      approver_id: 'email:a@b.co',
      total: 1,
      approve: 0,
      reject: 0,
      request_changes: 1,
      mean_seconds_to_decision: 5,
      median_seconds_to_decision: 5,
    },
    {
      approver_id: 'email:z@b.co',
      total: 4,
      approve: 3,
      reject: 1,
      request_changes: 0,
      mean_seconds_to_decision: 30,
      median_seconds_to_decision: 20,
    },
  ]);
});

test('outcomes: everything after an approval counts as approved; changes_requested is still pending', () => {
  assert.deepEqual(
    ['approved', 'active', 'expired', 'revoked', 'failed', 'pending', 'changes_requested', 'rejected'].map(
      outcomeOf,
    ),
    ['approved', 'approved', 'approved', 'approved', 'approved', 'pending', 'pending', 'rejected'],
  );
  assert.equal(outcomeOf('cancelled'), 'cancelled');
  assert.equal(outcomeOf('timed_out'), 'timed_out');
});

test('risk rows: all ten scores and four bands even when empty; environments sorted', () => {
  const empty = riskReportRows({ byScore: [], byEnvironment: [] });
  assert.equal(empty.rows.length, 14);
  assert.ok(empty.rows.every((r) => r.requests === 0));
  assert.equal(empty.summary.total_requests, 0);
  const { rows, summary } = riskReportRows({
    byScore: [
      { score: 3, status: 'active', count: 2 },
      { score: 3, status: 'rejected', count: 1 },
      { score: 9, status: 'timed_out', count: 4 },
    ],
    byEnvironment: [
      { environment: 'prod', status: 'timed_out', count: 4 },
      { environment: 'dev', status: 'active', count: 2 },
    ],
  });
  assert.equal(summary.total_requests, 7);
  const find = (dimension: string, key: string) =>
    rows.find((r) => r.dimension === dimension && r.key === key);
  assert.deepEqual(find('score', '3'), {
    dimension: 'score',
    key: '3',
    requests: 3,
    approved: 2,
    rejected: 1,
    pending: 0,
    cancelled: 0,
    timed_out: 0,
  });
  assert.equal(find('band', 'low')?.requests, 3);
  assert.equal(find('band', 'critical')?.timed_out, 4);
  assert.deepEqual(
    rows.filter((r) => r.dimension === 'environment').map((r) => r.key),
    ['dev', 'prod'],
  );
});
