import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Lowercase hex SHA-256 of the UTF-8 text. Used to store tokens and links as hashes only. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `bytes` cryptographically random bytes as unpadded base64url (32 bytes → 43 characters). */
export function randomBase64Url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Compares two strings in time independent of where they differ (length differences return false at once). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Decodes a 256-bit key given as 64 hex characters or as base64/base64url (44 or 43 characters).
 * Returns undefined when the text is neither or does not decode to exactly 32 bytes.
 */
export function decodeKey256(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

/** Encrypts and decrypts small secrets at rest (webhook secrets, SMTP password) with AES-256-GCM. */
export interface SecretBox {
  /** Returns `v1.<iv>.<tag>.<ciphertext>` (base64url parts); a fresh random IV per call. */
  seal(plaintext: string): string;
  /** Reverses `seal`; throws Error when the text was tampered with or sealed under another key. */
  open(sealed: string): string;
}

/** Creates a SecretBox over a 256-bit key (see `decodeKey256` for accepted spellings); throws on a bad key. */
export function createSecretBox(keyText: string): SecretBox {
  const key = decodeKey256(keyText);
  if (key === undefined)
    throw new Error('createSecretBox: key must be 32 bytes as 64 hex or base64 characters');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined)
        throw new Error('SecretBox.open: not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
