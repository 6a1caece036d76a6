import { randomBytes } from 'node:crypto';

// Crockford-style base32 (lowercase, no i/l/o/u): ids stay readable, case-insensitive and URL-safe.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short lowercase prefix naming the entity (`usr`, `req`, `grt`, …): 2–5 letters. */
const PREFIX = /^[a-z]{2,5}$/;

const ID_BODY_LENGTH = 26; // 26 × 5 bits = 130 bits of randomness

/**
 * Returns a new random id `<prefix>_<26 base32 chars>` (130 random bits), e.g. `usr_3k9…`.
 * Ids are opaque: they carry no time or order. Throws Error when `prefix` is not 2–5 lowercase letters.
 */
export function newId(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new Error(`newId: invalid prefix ${JSON.stringify(prefix)}`);
  const bytes = randomBytes(ID_BODY_LENGTH);
  let body = '';
  // 256 is a multiple of 32, so `byte & 31` is unbiased.
  for (const byte of bytes) body += ALPHABET[byte & 31];
  return `${prefix}_${body}`;
}

/** True when `value` has the shape of an id produced by `newId(prefix)`. */
export function isId(value: string, prefix: string): boolean {
  if (!PREFIX.test(prefix)) return false;
  return new RegExp(`^${prefix}_[${ALPHABET}]{${ID_BODY_LENGTH}}$`).test(value);
}
