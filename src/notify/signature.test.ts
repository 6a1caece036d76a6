import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { generateWebhookSecret, signPayload, verifySignature } from './signature.ts';

const at = new Date('2026-11-23T16:00:00.000Z');
const body = '{"id":"evt_1","type":"request.submitted"}';

test('the signature is t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>") in hex (Stripe style)', () => {
  const header = signPayload('whsec_test', body, at);
  const t = at.getTime() / 1000;
  const hex = createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex');
  assert.equal(header, `t=${t},v1=${hex}`);
});

test('verification: right secret and body within the 5-minute window only', () => {
  const header = signPayload('whsec_test', body, at);
  assert.ok(verifySignature('whsec_test', body, header, { now: at }));
  assert.ok(verifySignature('whsec_test', body, header, { now: new Date(at.getTime() + 299_000) }));
  assert.ok(!verifySignature('whsec_test', body, header, { now: new Date(at.getTime() + 301_000) }));
  assert.ok(!verifySignature('whsec_other', body, header, { now: at }));
  assert.ok(!verifySignature('whsec_test', `${body} `, header, { now: at }));
  assert.ok(
    !verifySignature('whsec_test', body, header.replace(/t=\d+/, `t=${at.getTime() / 1000 + 1}`), {
      now: at,
    }),
  );
  assert.ok(!verifySignature('whsec_test', body, 'garbage', { now: at }));
});

test('secrets are whsec_ + 32 random bytes, never repeated', () => {
  const a = generateWebhookSecret();
  assert.match(a, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, generateWebhookSecret());
});
