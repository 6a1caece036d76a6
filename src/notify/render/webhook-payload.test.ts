import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES } from '../notice.ts';
import { hostileNotice, sampleNotice } from './sample-notices.ts';
import { renderWebhookPayload } from './webhook-payload.ts';

test('webhook payload of a grant event: snake_case snapshot of request and grant', () => {
  assert.deepEqual(renderWebhookPayload(sampleNotice('grant.revoked')), {
    id: 'evt_42',
    type: 'grant.revoked',
    created_at: '2026-11-23T16:00:00.000Z',
    actor: { id: 'usr_bob', email: 'bob@example.com' },
    message: 'Scope it to the reports bucket only',
    link: 'https://jit.example.com/requests/req_123',
    data: {
      request: {
        id: 'req_123',
        status: 'pending',
        requester: { id: 'usr_alice', email: 'alice@example.com' },
        accounts: [{ id: '111122223333', name: 'Production' }],
        justification: 'Investigate INC-7 failing exports',
        duration_hours: 2,
        access_type: 'read_only',
        revision: 1,
        risk: {
          score: 7,
          band: 'high',
          top_factors: [
            { id: 'data-read', title: 'Reads data in S3', points: 3 },
            { id: 'wildcard', title: 'Wildcard resource', points: 2 },
          ],
        },
      },
      grant: {
        id: 'gr_9',
        account_id: '111122223333',
        status: 'active',
        not_before: '2026-11-23T16:00:00.000Z',
        not_after: '2026-11-23T18:00:00.000Z',
      },
    },
  });
});

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

for (const type of NOTICE_TYPES) {
  test(`webhook ${type}: survives a JSON round trip unchanged, snake_case keys only`, () => {
    const payload = renderWebhookPayload(sampleNotice(type));
    assert.equal(payload.type, type);
    assert.deepEqual(JSON.parse(JSON.stringify(payload)), payload, 'no undefined fields (JSON drops them)');
    for (const key of keysOf(payload)) assert.match(key, /^[a-z0-9_]+$/);
    assert.equal(payload.data.grant === null, !type.startsWith('grant.'));
  });
}

test('webhook payload carries user text as data, unescaped (the receiver escapes for its own medium)', () => {
  const payload = renderWebhookPayload(hostileNotice('request.submitted'));
  assert.equal(payload.data.request.justification, hostileNotice('request.submitted').request.justification);
});
