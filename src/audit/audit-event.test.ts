import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GENESIS_HASH, hashAuditRecord, isAuditAction, prepareAuditEvent } from './audit-event.ts';

test('hashAuditRecord: SHA-256 of prev_hash followed by the canonical event (known answer)', () => {
  // Expected value computed independently: python3 hashlib.sha256(("0"*64 + <canonical text>).encode()).
  // Canonical text: {"action":"request.approved","actor":"usr_alice","at":"2026-11-23T10:00:00.000Z",
  //                  "data":{"a":"x","b":1},"seq":1,"subject":"req_1"}
  const record = {
    seq: 1,
    at: '2026-11-23T10:00:00.000Z',
    actor: 'usr_alice',
    action: 'request.approved',
    subject: 'req_1',
    data: '{ "b": 1, "a": "x" }',
    prevHash: GENESIS_HASH,
  };
  assert.equal(hashAuditRecord(record), 'dd8e9110e06ed16586110d07d623c5196c80c0814a4c5bdc26d7220a0cc9fc68');
  // Every hashed field matters, including the link to the previous event.
  for (const change of [{ seq: 2 }, { subject: null }, { prevHash: 'f'.repeat(64) }, { data: '{"a":"x"}' }])
    assert.notEqual(hashAuditRecord({ ...record, ...change }), hashAuditRecord(record));
  assert.throws(() => hashAuditRecord({ ...record, data: '{oops' }));
});

test('prepareAuditEvent: ISO time, canonical data, and refusal of malformed events', () => {
  const at = new Date('2026-11-23T10:00:00Z');
  assert.deepEqual(prepareAuditEvent({ at, actor: 'system', action: 'grant.expired', subject: 'grt_1' }), {
    at: '2026-11-23T10:00:00.000Z',
    data: '{}',
  });
  const bad = [
    { at: new Date('nope'), actor: 'system', action: 'grant.expired', subject: null },
    { at, actor: '', action: 'grant.expired', subject: null },
    { at, actor: 'system', action: 'expired', subject: null },
    { at, actor: 'system', action: 'grant.expired', subject: '' },
    { at, actor: 'system', action: 'grant.expired', subject: null, data: [] as never },
  ];
  for (const event of bad) assert.throws(() => prepareAuditEvent(event), /audit event/);
});

test('isAuditAction: dotted lower-case names only', () => {
  assert.ok(isAuditAction('request.changes_requested'));
  assert.ok(isAuditAction('aws.call'));
  for (const a of ['request', 'Request.Approved', 'request.', '.approved', 'request approved', 'a..b'])
    assert.equal(isAuditAction(a), false, a);
});
