import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMs, createFakeClock, HOUR, systemClock } from './clock.ts';

test('fake clock: starts where told and moves only when advanced', () => {
  const clock = createFakeClock('2026-03-01T10:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2026-03-01T10:00:00.000Z');
  clock.advance(24 * HOUR);
  assert.equal(clock.now().toISOString(), '2026-03-02T10:00:00.000Z');
  clock.set('2027-01-01T00:00:00Z');
  assert.equal(clock.now().toISOString(), '2027-01-01T00:00:00.000Z');
});

test('fake clock: returned dates are copies and bad input is rejected', () => {
  const clock = createFakeClock();
  const d = clock.now();
  d.setFullYear(1999);
  assert.equal(clock.now().getUTCFullYear(), 2026);
  assert.throws(() => clock.advance(-1));
  assert.throws(() => clock.set('not a date'));
  assert.throws(() => createFakeClock('nope'));
});

test('system clock and addMs', () => {
  const before = Date.now();
  const now = systemClock.now().getTime();
  assert.ok(now >= before);
  assert.equal(addMs(new Date('2026-01-01T00:00:00Z'), HOUR).toISOString(), '2026-01-01T01:00:00.000Z');
});
