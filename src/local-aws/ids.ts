import { randomFillSync, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Random bytes drawn from a pool refilled 4 KiB at a time: one CSPRNG call per ~40 sessions, not one per id. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** `length` (≤ 4,096) fresh random bytes; each pool byte is handed out once. */
function takeRandom(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + length));
  poolOffset += length;
  return bytes;
}

function randomUpper(length: number): string {
  let out = '';
  // 32 symbols: every byte value maps to one without bias.
  for (const b of takeRandom(length)) out += ALNUM[b % ALNUM.length];
  return out;
}

/** IAM unique ids: a 4-letter prefix naming the entity type (`AROA` role, `ANPA` policy, `AIDA` user) + 17 chars. */
export function newIamId(prefix: 'AROA' | 'ANPA' | 'AIDA'): string {
  return prefix + randomUpper(17);
}

/** Access key ids: `AKIA` long-term, `ASIA` temporary (STS), 20 characters in all. */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + randomUpper(16);
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return takeRandom(30).toString('base64').replace(/[+/]/g, 'A');
}

/** An opaque session token (long, base64, as STS issues). */
export function newSessionToken(): string {
  return `IQoJb3JpZ2luX2Vj${takeRandom(96).toString('base64')}`;
}

/** A request id in UUID form, as returned in `x-amzn-RequestId`. */
export function newRequestId(): string {
  return randomUUID();
}

/** `length` lower-case hex characters (Identity Center instance and permission-set ids). */
export function newHex(length: number): string {
  return takeRandom(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
