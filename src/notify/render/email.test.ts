import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES, type NoticeType } from '../notice.ts';
import { renderEmail } from './email.ts';
import { hostileNotice, sampleNotice } from './sample-notices.ts';

const SUBJECTS: Record<NoticeType, string> = {
  'request.submitted': '[iam-jit] Access request awaiting approval: alice@example.com on Production',
  'request.approved': '[iam-jit] Access request approved: alice@example.com on Production',
  'request.rejected': '[iam-jit] Access request rejected: alice@example.com on Production',
  'request.changes_requested':
    '[iam-jit] Changes requested on access request: alice@example.com on Production',
  'request.revised': '[iam-jit] Access request revised: alice@example.com on Production',
  'request.cancelled': '[iam-jit] Access request cancelled: alice@example.com on Production',
  'request.timed_out': '[iam-jit] Access request timed out: alice@example.com on Production',
  'request.commented': '[iam-jit] New comment on access request: alice@example.com on Production',
  'request.break_glass': '[iam-jit] BREAK-GLASS access used: alice@example.com on Production',
  'grant.activated': '[iam-jit] Access granted: alice@example.com on Production (111122223333)',
  'grant.expiring': '[iam-jit] Access expires in 15 minutes: alice@example.com on Production (111122223333)',
  'grant.expired': '[iam-jit] Access expired: alice@example.com on Production (111122223333)',
  'grant.revoked': '[iam-jit] Access revoked: alice@example.com on Production (111122223333)',
  'grant.extended': '[iam-jit] Access extended: alice@example.com on Production (111122223333)',
  'grant.failed': '[iam-jit] Access provisioning failed: alice@example.com on Production (111122223333)',
};

for (const type of NOTICE_TYPES) {
  test(`email ${type}: exact subject, link in both bodies, nothing undefined`, () => {
    const mail = renderEmail(sampleNotice(type));
    assert.equal(mail.subject, SUBJECTS[type]);
    assert.match(mail.text, /Open the request: https:\/\/jit\.example\.com\/requests\/req_123\n/);
    assert.ok(mail.html.includes('<a href="https://jit.example.com/requests/req_123"'));
    assert.ok(mail.html.startsWith('<!DOCTYPE html>'));
    for (const body of [mail.subject, mail.text, mail.html]) {
      assert.doesNotMatch(body, /undefined|\[object Object\]|NaN/);
    }
  });

  test(`email ${type}: hostile user text is escaped in HTML and cannot add a header`, () => {
    const mail = renderEmail(hostileNotice(type));
    assert.doesNotMatch(mail.subject, /[\r\n]/);
    assert.ok(!mail.html.includes('<script>'), 'no raw script tag');
    assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!mail.html.includes('<!channel>'));
    assert.ok(!mail.html.includes('href="https://evil.example"'));
    // the literal entity a user typed stays visible as text, not decoded into markup
    assert.ok(mail.html.includes('&amp;amp;'));
  });
}

test('email request.submitted: the text body says who, where, how long, how risky and why', () => {
  assert.equal(
    renderEmail(sampleNotice('request.submitted')).text,
    [
      'Access request awaiting approval',
      '',
      'alice@example.com requests read_only access to Production (111122223333) for 2 h. Risk 7/10 (high).',
      '',
      'Requester: alice@example.com',
      'Accounts: Production (111122223333)',
      'Access: read_only',
      'Duration: 2 h',
      'Risk score: 7/10 (high)',
      'Top factors:',
      '  - Reads data in S3 (+3)',
      '  - Wildcard resource (+2)',
      '',
      'Justification:',
      'Investigate INC-7 failing exports',
      '',
      'Open the request: https://jit.example.com/requests/req_123',
      '',
      '-- iam-jit · req_123 · evt_42',
      '',
    ].join('\n'),
  );
});

test('email request.rejected: the reason is shown under its label', () => {
  const mail = renderEmail(sampleNotice('request.rejected'));
  assert.ok(
    mail.text.includes(
      'bob@example.com rejected the request by alice@example.com for Production (111122223333).',
    ),
  );
  assert.ok(mail.text.includes('\nReason:\nScope it to the reports bucket only\n'));
  assert.ok(mail.html.includes('<strong>Reason</strong>'));
});

test('email request.changes_requested: the comment is shown as the requested changes', () => {
  const mail = renderEmail(sampleNotice('request.changes_requested'));
  assert.ok(mail.text.includes('\nRequested changes:\nScope it to the reports bucket only\n'));
});

test('email grant.activated and grant.expiring: the expiry time is shown', () => {
  assert.ok(
    renderEmail(sampleNotice('grant.activated')).text.includes(
      'alice@example.com has read_only access to Production (111122223333) until 2026-11-23 18:00 UTC.',
    ),
  );
  assert.ok(
    renderEmail(sampleNotice('grant.expiring')).text.includes(
      'Access of alice@example.com to Production (111122223333) expires in 15 minutes, at 2026-11-23 18:00 UTC.',
    ),
  );
});

test('email grant.revoked: who revoked and why', () => {
  const mail = renderEmail(sampleNotice('grant.revoked'));
  assert.ok(
    mail.text.includes(
      'bob@example.com revoked the access of alice@example.com to Production (111122223333).',
    ),
  );
  assert.ok(mail.text.includes('By: bob@example.com'));
  assert.ok(mail.text.includes('\nReason:\nScope it to the reports bucket only\n'));
});

test('email request.break_glass: loud banner in both bodies', () => {
  const mail = renderEmail(sampleNotice('request.break_glass'));
  assert.ok(mail.text.startsWith('*** BREAK-GLASS: access was granted without approval ***\n'));
  assert.ok(mail.html.includes('BREAK-GLASS: access was granted without approval</p>'));
});
