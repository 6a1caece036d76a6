import { z } from 'zod';

// Field builders shared by the schema. Every value may come from an env var (always a string) or from
// iam-jit.yaml (typed), so each builder accepts both and says in plain words what it expected.

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** A boolean: true/false, 1/0, yes/no, on/off (any case), or a YAML boolean. */
export function booleanField(defaultValue: boolean) {
  return z
    .preprocess(
      (v) => {
        if (typeof v !== 'string') return v;
        const t = v.trim().toLowerCase();
        return TRUE.includes(t) ? true : FALSE.includes(t) ? false : v;
      },
      z.boolean({ error: 'expected true or false' }),
    )
    .default(defaultValue);
}

function toNumber(v: unknown): unknown {
  return typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
}

/** An integer in [min, max]. */
export function integerField(min: number, max: number) {
  const range = `expected an integer from ${min} to ${max}`;
  return z.preprocess(
    toNumber,
    z.number({ error: range }).int({ error: range }).min(min, { error: range }).max(max, { error: range }),
  );
}

/** A number of hours in (0, max], fractions allowed (0.5 = 30 minutes). */
export function hoursField(max: number) {
  const range = `expected a number of hours greater than 0 and at most ${max}`;
  return z.preprocess(
    toNumber,
    z.number({ error: range }).gt(0, { error: range }).max(max, { error: range }),
  );
}

/** A list: a YAML sequence of strings or a comma-separated string; blanks dropped, each item must match. */
export function listField(item: RegExp, what: string) {
  return z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : v,
      z.array(
        z.string({ error: `expected a list of ${what}` }).regex(item, { error: `each item must be ${what}` }),
        {
          error: `expected a comma-separated list of ${what}`,
        },
      ),
    )
    .default([]);
}

/** A string matching `pattern`, trimmed. */
export function textField(pattern: RegExp, what: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: `expected ${what}` }).regex(pattern, { error: `expected ${what}` }),
  );
}

/** An http(s) URL without a trailing slash (one is removed). */
export function httpUrlField() {
  const what = 'an http:// or https:// URL';
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().replace(/\/+$/, '') : v),
    z.string({ error: `expected ${what}` }).refine(
      (s) => {
        try {
          const u = new URL(s);
          return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: `expected ${what}` },
    ),
  );
}
