/** The source of "now" for domain code; tests pass a fake one so no test depends on wall-clock time. */
export interface Clock {
  /** The current instant. Every call returns a fresh Date the caller may keep. */
  now(): Date;
}

/** A clock that reads the system time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock under a test's control: time moves only when the test says so. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms` milliseconds (negative values are rejected). */
  advance(ms: number): void;
  /** Jumps to the given instant. */
  set(instant: Date | string): void;
}

/** Creates a fake clock starting at `start` (default 2026-01-01T00:00:00Z). */
export function createFakeClock(start: Date | string = '2026-01-01T00:00:00.000Z'): FakeClock {
  let current = new Date(start).getTime();
  if (Number.isNaN(current)) throw new Error(`createFakeClock: invalid start ${String(start)}`);
  return {
    now: () => new Date(current),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`FakeClock.advance: invalid ms ${ms}`);
      current += ms;
    },
    set(instant: Date | string) {
      const t = new Date(instant).getTime();
      if (Number.isNaN(t)) throw new Error(`FakeClock.set: invalid instant ${String(instant)}`);
      current = t;
    },
  };
}

/** Milliseconds in common units, so durations read as `24 * HOUR`. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** Returns `date` plus `ms` milliseconds as a new Date. */
export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
