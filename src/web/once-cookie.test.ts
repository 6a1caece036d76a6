import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import {
  ONCE_COOKIE,
  onceOptions,
  openOnce,
  sealOnce,
  setOnceCookie,
  takeOnceCookie,
} from './once-cookie.ts';

test('once cookie: opens only under the session it was sealed for, and not after tampering', () => {
  const sealed = sealOnce('session-a', { token: 'iamjit_secret' });
  assert.doesNotMatch(sealed, /iamjit_secret/);
  assert.deepEqual(openOnce('session-a', sealed), { token: 'iamjit_secret' });
  assert.equal(openOnce('session-b', sealed), undefined);
  const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
  assert.equal(openOnce('session-a', flipped), undefined);
  assert.equal(openOnce('session-a', 'garbage'), undefined);
});

test('once cookie: a captured value replayed after its two minutes opens to nothing', () => {
  const sealedAt = Date.parse('2026-11-23T12:00:00Z');
  const sealed = sealOnce('session-a', { token: 'iamjit_secret' }, sealedAt);
  assert.deepEqual(openOnce('session-a', sealed, sealedAt + 119_000), { token: 'iamjit_secret' });
  assert.equal(openOnce('session-a', sealed, sealedAt + 120_000), undefined);
});

test('once cookie: Secure follows the deployment (TLS may end at a proxy), not the request URL', async () => {
  const app = new Hono();
  app.post('/done', (c) => {
    setOnceCookie(
      c,
      '/done',
      'sess',
      { x: 1 },
      onceOptions({ config: { server: { baseUrl: 'https://jit.example' } } }),
    );
    return c.redirect('/done', 303);
  });
  const posted = await app.request('http://10.0.0.5:8080/done', { method: 'POST' });
  assert.match(posted.headers.get('set-cookie') ?? '', /; Secure/);
});

test('once cookie: set on the POST, read once on the result page, then gone', async () => {
  const app = new Hono();
  app.post('/done', (c) => {
    setOnceCookie(c, '/done', 'sess', { secret: 's3cr3t' }, { secure: true });
    return c.redirect('/done', 303);
  });
  app.get('/done', (c) => c.json({ got: takeOnceCookie(c, 'sess', { secure: true }) ?? null }));

  const posted = await app.request('https://ui.example/done', { method: 'POST' });
  assert.equal(posted.status, 303);
  const set = posted.headers.get('set-cookie') ?? '';
  assert.match(set, new RegExp(`^${ONCE_COOKIE}=`));
  assert.match(set, /Max-Age=120/);
  assert.match(set, /Path=\/done/);
  assert.match(set, /HttpOnly/);
  assert.match(set, /Secure/);
  assert.match(set, /SameSite=Strict/);
  const cookie = set.split(';')[0] ?? '';

  const first = await app.request('https://ui.example/done', { headers: { cookie } });
  assert.deepEqual(await first.json(), { got: { secret: 's3cr3t' } });
  assert.match(first.headers.get('set-cookie') ?? '', new RegExp(`^${ONCE_COOKIE}=;.*Max-Age=0`));

  const again = await app.request('https://ui.example/done');
  assert.deepEqual(await again.json(), { got: null });
});
