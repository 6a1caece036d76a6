// Pure pieces of the web UI: flash cookies, CSRF tokens and API paths, the request form mapping, durations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../identity/authenticate.ts';
import type { Role } from '../identity/user.ts';
import { formatDuration, timeLeftText, userLabel } from './components.tsx';
import { decodeFlash, encodeFlash } from './flash.ts';
import { navItems } from './layout.tsx';
import { safeNext } from './page.tsx';
import {
  editInputOf,
  emptyRequestForm,
  isPolicyEmpty,
  policySpecOf,
  splitList,
  startAtOf,
  submitInputOf,
} from './request-form.ts';
import { csrfTokenFor, isApiPath } from './security.ts';

const KEY = 'k'.repeat(64);

test('flash: round-trips; a tampered, foreign-key or malformed cookie reads as no messages', () => {
  const value = encodeFlash(KEY, [{ kind: 'error', text: 'the requester cannot review their own request' }]);
  assert.deepEqual(decodeFlash(KEY, value), [
    { kind: 'error', text: 'the requester cannot review their own request' },
  ]);
  const [payload, mac] = value.split('.');
  const forged = Buffer.from(JSON.stringify([{ kind: 'success', text: 'Approved.' }])).toString('base64url');
  assert.deepEqual(decodeFlash(KEY, `${forged}.${mac}`), []);
  assert.deepEqual(decodeFlash('x'.repeat(64), value), []);
  assert.deepEqual(decodeFlash(KEY, `${payload}`), []);
  assert.deepEqual(decodeFlash(KEY, undefined), []);
  assert.equal(
    decodeFlash(KEY, encodeFlash(KEY, [{ kind: 'info', text: 'x'.repeat(900) }]))[0]?.text.length,
    500,
  );
});

test('CSRF tokens: per binding and per key, stable for one session', () => {
  const a = csrfTokenFor(KEY, 'session:ses_1');
  assert.equal(a, csrfTokenFor(KEY, 'session:ses_1'));
  assert.notEqual(a, csrfTokenFor(KEY, 'session:ses_2'));
  assert.notEqual(a, csrfTokenFor('x'.repeat(64), 'session:ses_1'));
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
});

test('API paths keep the API headers; everything else is the web UI', () => {
  for (const p of ['/api/v1/requests', '/api', '/mcp', '/healthz', '/readyz', '/metrics'])
    assert.ok(isApiPath(p), p);
  for (const p of ['/', '/login', '/requests/new', '/apiary', '/metrics-page', '/static/app.css'])
    assert.ok(!isApiPath(p), p);
});

test('safeNext: only same-site absolute paths', () => {
  assert.equal(safeNext('/queue?x=1'), '/queue?x=1');
  for (const bad of [
    undefined,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    'queue',
    '/\t/evil.example/phish',
    '/\n/evil.example',
    '/ /evil.example',
    '/x\\..\\\\evil.example',
  ])
    assert.equal(safeNext(bad), '/', String(bad));
});

test('request form → service inputs', () => {
  const v = {
    ...emptyRequestForm(4),
    accountIds: ['111122223333'],
    actions: 's3:GetObject\n s3:ListBucket, ',
    readOnly: true,
    justification: 'why',
    startAt: '2026-12-01T09:30',
    comment: '  narrowed ',
  };
  assert.deepEqual(splitList('a\nb, c  d'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(submitInputOf(v), {
    accountIds: ['111122223333'],
    spec: { type: 'actions', actions: ['s3:GetObject', 's3:ListBucket'] },
    accessType: 'read-only',
    justification: 'why',
    durationHours: 4,
    startAt: '2026-12-01T09:30:00Z',
  });
  assert.deepEqual(editInputOf(v, { justification: false }), {
    spec: { type: 'actions', actions: ['s3:GetObject', 's3:ListBucket'] },
    accessType: 'read-only',
    durationHours: 4,
    comment: 'narrowed',
  });
  assert.deepEqual(policySpecOf({ ...v, source: 'access_levels', service: 'S3', accessLevels: ['List'] }), {
    type: 'access_levels',
    service: 's3',
    accessLevels: ['List'],
  });
  assert.deepEqual(policySpecOf({ ...v, source: 'policy', policy: '{"x"' }), {
    type: 'policy',
    policy: '{"x"',
  });
  assert.equal(startAtOf(''), null);
  assert.equal(startAtOf('tomorrow'), 'tomorrow', 'the service reports what is wrong with it');
  assert.ok(isPolicyEmpty(emptyRequestForm(1)));
  assert.ok(!isPolicyEmpty(v));
});

test('durations and labels for people', () => {
  assert.equal(formatDuration(59_000), 'less than a minute');
  assert.equal(formatDuration(45 * 60_000), '45 min');
  assert.equal(formatDuration(125 * 60_000), '2 h 05 min');
  assert.equal(formatDuration((3 * 24 + 4) * 3_600_000), '3 d 4 h');
  const now = new Date('2026-11-23T10:00:00Z');
  assert.equal(timeLeftText(new Date('2026-11-23T11:30:00Z'), now), '1 h 30 min left');
  assert.equal(timeLeftText(new Date('2026-11-23T09:00:00Z'), now), 'ended');
  assert.equal(userLabel('email:alice@x.com'), 'alice@x.com');
  assert.equal(userLabel('iam:arn:aws:iam::111122223333:role/Dev'), 'arn:aws:iam::111122223333:role/Dev');
});

test('nav: Grants and Settings for everyone signed in; Queue for approvers; Admin for admins only', () => {
  const principal = (roles: Role[]): Principal => ({
    user: {
      id: 'email:a@x.com',
      displayName: 'a@x.com',
      roles,
      enabled: true,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    },
    method: 'session',
  });
  const labels = (roles: Role[]) => navItems(principal(roles)).map((i) => i.label);
  assert.deepEqual(labels(['requester']), ['My requests', 'New request', 'Grants', 'Settings']);
  assert.deepEqual(labels(['approver']), ['Queue', 'Grants', 'Settings']);
  assert.deepEqual(labels(['requester', 'approver', 'admin']), [
    'My requests',
    'New request',
    'Queue',
    'Grants',
    'Admin',
    'Settings',
  ]);
  assert.deepEqual(navItems(undefined), []);
});
