import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { createIdempotencyStore } from './idempotency-keys-repo.ts';

const DAY = 24 * 3600_000;

forEachDialect('idempotency keys', (ctx) => {
  const now = new Date('2026-05-01T09:00:00.000Z');
  const base = { scope: 'email:a@x.com', key: 'k1', requestHash: 'h1', now, ttlMs: DAY };

  test('first claim runs; replays get the stored response; a different body is a mismatch', async () => {
    const store = createIdempotencyStore(ctx.database.db);
    assert.deepEqual(await store.claim(base), { state: 'new' });
    assert.deepEqual(await store.claim(base), { state: 'in_progress' });
    await store.complete({ scope: base.scope, key: 'k1', statusCode: 201, responseBody: '{"id":"req_1"}' });
    assert.deepEqual(await store.claim(base), {
      state: 'done',
      statusCode: 201,
      responseBody: '{"id":"req_1"}',
    });
    assert.deepEqual(await store.claim({ ...base, requestHash: 'h2' }), { state: 'mismatch' });
    // Keys are per scope.
    assert.deepEqual(await store.claim({ ...base, scope: 'email:b@x.com' }), { state: 'new' });
  });

  test('a released claim can run again; a completed one cannot be released', async () => {
    const store = createIdempotencyStore(ctx.database.db);
    const c = { ...base, key: 'k2' };
    assert.deepEqual(await store.claim(c), { state: 'new' });
    await store.release(c.scope, c.key);
    assert.deepEqual(await store.claim(c), { state: 'new' });
    await store.complete({ scope: c.scope, key: c.key, statusCode: 200, responseBody: '{}' });
    await store.release(c.scope, c.key);
    assert.equal((await store.claim(c)).state, 'done');
  });

  test('concurrent claims: exactly one runs', async () => {
    const store = createIdempotencyStore(ctx.database.db);
    const claims = await Promise.all(Array.from({ length: 6 }, () => store.claim({ ...base, key: 'k3' })));
    assert.equal(claims.filter((c) => c.state === 'new').length, 1);
    assert.ok(claims.every((c) => c.state === 'new' || c.state === 'in_progress'));
  });

  test('expired keys are forgotten and pruned', async () => {
    const store = createIdempotencyStore(ctx.database.db);
    const c = { ...base, key: 'k4' };
    await store.claim(c);
    await store.complete({ scope: c.scope, key: c.key, statusCode: 201, responseBody: '{}' });
    const later = new Date(now.getTime() + DAY);
    assert.deepEqual(await store.claim({ ...c, now: later, requestHash: 'other' }), { state: 'new' });
    assert.ok((await store.deleteExpired(new Date(now.getTime() + 3 * DAY))) >= 1);
    assert.deepEqual(await store.claim({ ...c, now: later }), { state: 'new' });
  });
});
