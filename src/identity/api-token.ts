import { randomBase64Url, sha256Hex } from '../lib/crypto.ts';

/** Every API token starts with this, so leaked tokens are easy to scan for. */
export const API_TOKEN_PREFIX = 'iamjit_';

/** `iamjit_` followed by 43 base64url characters (32 random bytes). */
export const API_TOKEN_PATTERN = /^iamjit_[A-Za-z0-9_-]{43}$/;

/** A new random API token (256 bits of randomness). */
export function generateApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBase64Url(32)}`;
}

/** True when `token` has the shape of an API token. Says nothing about whether it exists. */
export function isApiTokenFormat(token: string): boolean {
  return API_TOKEN_PATTERN.test(token);
}

/** The stored form of a token, session cookie or login link: SHA-256 hex of the full text. */
export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}
