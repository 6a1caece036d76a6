import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constantTimeEqual, createSecretBox, decodeKey256, randomBase64Url, sha256Hex } from './crypto.ts';

test('sha256Hex matches the FIPS 180-2 "abc" test vector', () => {
  // Source: FIPS 180-2 appendix B.1 (SHA-256 of "abc").
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('randomBase64Url: 32 bytes give 43 url-safe characters, never repeating', () => {
  const a = randomBase64Url(32);
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, randomBase64Url(32));
});

test('constantTimeEqual', () => {
  assert.ok(constantTimeEqual('abc', 'abc'));
  assert.ok(!constantTimeEqual('abc', 'abd'));
  assert.ok(!constantTimeEqual('abc', 'abcd'));
});

test('decodeKey256 accepts hex and base64 spellings of 32 bytes only', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(decodeKey256(hex)?.length, 32);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(decodeKey256(b64), Buffer.alloc(32, 7));
  assert.deepEqual(decodeKey256(Buffer.alloc(32, 7).toString('base64url')), Buffer.alloc(32, 7));
  assert.equal(decodeKey256('ab'.repeat(16)), undefined);
  assert.equal(decodeKey256('secret'), undefined);
});

test('SecretBox: round-trips, uses a fresh IV, detects tampering and wrong keys', () => {
  const box = createSecretBox('11'.repeat(32));
  const sealed = box.seal('smtp-password');
  assert.notEqual(sealed, box.seal('smtp-password'));
  assert.ok(!sealed.includes('smtp-password'));
  assert.equal(box.open(sealed), 'smtp-password');
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3] ?? '', 'base64url');
  body[0] = (body[0] ?? 0) ^ 1;
  assert.throws(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.')));
  assert.throws(() => createSecretBox('22'.repeat(32)).open(sealed));
  assert.throws(() => box.open('garbage'), /not a sealed secret/);
  assert.throws(() => createSecretBox('short'), /32 bytes/);
});
