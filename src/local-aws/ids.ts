import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomUpper(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
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
  return randomBytes(30).toString('base64').replace(/[+/]/g, 'A');
}

/** An opaque session token (long, base64, as STS issues). */
export function newSessionToken(): string {
  return `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`;
}

/** A request id in UUID form, as returned in `x-amzn-RequestId`. */
export function newRequestId(): string {
  return randomUUID();
}

/** `length` lower-case hex characters (Identity Center instance and permission-set ids). */
export function newHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
