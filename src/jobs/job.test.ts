import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { buildJob, defineJob, indexDefinitions } from './handlers.ts';
import { backoffDelayMs, describeJobError } from './job.ts';

// Full jitter: delay = random × min(cap, base × 2^(attempt−1)), as in the AWS Architecture Blog post
// "Exponential Backoff And Jitter" (Marc Brooker, 2015).
test('backoff doubles its ceiling per attempt up to the cap, scaled by the jitter draw', () => {
  const options = { baseMs: 1000, capMs: 10_000 };
  const top = () => 0.999_999;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, options, top)),
    [999, 1999, 3999, 7999, 9999, 9999],
  );
  assert.equal(
    backoffDelayMs(3, options, () => 0.5),
    2000,
  );
  assert.equal(
    backoffDelayMs(3, options, () => 0),
    0,
  );
  // Huge attempt counts stay at the cap instead of overflowing.
  assert.equal(
    backoffDelayMs(5000, options, () => 0.5),
    5000,
  );
});

test('backoff rejects nonsense input instead of returning NaN', () => {
  assert.throws(() => backoffDelayMs(0), /invalid attempt/);
  assert.throws(() => backoffDelayMs(1, { baseMs: 10, capMs: 5 }), /invalid base/);
});

test('error text keeps the name and message, and is capped', () => {
  assert.equal(describeJobError(new TypeError('boom')), 'TypeError: boom');
  assert.equal(describeJobError('plain'), 'plain');
  assert.equal(describeJobError(new Error('x'.repeat(5000))).length, 2000);
});

const expire = defineJob({
  type: 'grant.expire',
  payload: z.object({ grantId: z.string().min(1) }),
  maxAttempts: 20,
  run: async () => {},
});

test('buildJob validates the payload against the type schema and applies the type defaults', () => {
  const runAt = new Date('2026-01-01T00:00:00Z');
  assert.deepEqual(buildJob(expire, { grantId: 'grt_1' }, { runAt, dedupeKey: 'expire:grt_1' }), {
    type: 'grant.expire',
    payload: { grantId: 'grt_1' },
    maxAttempts: 20,
    runAt,
    dedupeKey: 'expire:grt_1',
  });
  assert.throws(() => buildJob(expire, { grantId: '' }), /buildJob\(grant.expire\): invalid payload/);
});

test('a job type may be defined only once per runner', () => {
  assert.throws(() => indexDefinitions([expire, expire]), /grant.expire is defined twice/);
  assert.deepEqual([...indexDefinitions([expire]).keys()], ['grant.expire']);
});
