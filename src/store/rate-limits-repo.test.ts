import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { createRateLimiter } from './rate-limits-repo.ts';

const WINDOW = 15 * 60_000;

forEachDialect('rate limiter', (ctx) => {
  test('allows `limit` hits per window, then refuses with Retry-After until the window ends', async () => {
    const limiter = createRateLimiter(ctx.database.db);
    const t0 = new Date('2026-05-01T09:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    for (let i = 1; i <= 3; i++) {
      const d = await limiter.hit('login:email:a@x.com', { limit: 3, windowMs: WINDOW, now: at(i * 1000) });
      assert.deepEqual(d, { allowed: true, hits: i, retryAfterSeconds: 901 - i });
    }
    const refused = await limiter.hit('login:email:a@x.com', { limit: 3, windowMs: WINDOW, now: at(60_000) });
    assert.deepEqual(refused, { allowed: false, hits: 4, retryAfterSeconds: 841 });
    // Other buckets are independent.
    assert.ok(
      (await limiter.hit('login:email:b@x.com', { limit: 3, windowMs: WINDOW, now: at(60_000) })).allowed,
    );
    // A new window starts once the old one is over.
    const fresh = await limiter.hit('login:email:a@x.com', {
      limit: 3,
      windowMs: WINDOW,
      now: at(WINDOW + 1000),
    });
    assert.deepEqual(fresh, { allowed: true, hits: 1, retryAfterSeconds: 900 });
  });

  test('concurrent hits are all counted', async () => {
    const limiter = createRateLimiter(ctx.database.db);
    const now = new Date('2026-05-01T10:00:00.000Z');
    const decisions = await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.hit('login:ip:203.0.113.9', { limit: 4, windowMs: WINDOW, now }),
      ),
    );
    assert.deepEqual(
      decisions.map((d) => d.hits).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 4);
  });

  test('prune removes buckets whose window is long over', async () => {
    const limiter = createRateLimiter(ctx.database.db);
    const now = new Date('2026-06-01T00:00:00.000Z');
    await limiter.hit('old', { limit: 1, windowMs: WINDOW, now: new Date(now.getTime() - 2 * WINDOW) });
    await limiter.hit('new', { limit: 1, windowMs: WINDOW, now });
    assert.ok((await limiter.prune(now, WINDOW)) >= 1);
    const left = (await ctx.database.db.selectFrom('rate_limits').select('bucket').execute()).map(
      (r) => r.bucket,
    );
    assert.ok(left.includes('new') && !left.includes('old'));
  });
});
