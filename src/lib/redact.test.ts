import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactSecrets, redactText } from './redact.ts';

const TOKEN = `iamjit_${'A1b2_C3d4-'.repeat(4)}xyz`;

test('redactText cuts tokens, bearer credentials, session cookies and secret query parameters', () => {
  assert.equal(redactText(`Authorization: Bearer ${TOKEN}`), `Authorization: Bearer ${REDACTED}`);
  assert.equal(redactText(`token ${TOKEN} leaked`), `token iamjit_${REDACTED} leaked`);
  assert.equal(
    redactText('https://jit.example.com/login/callback?token=abc.DEF-123&next=%2F'),
    `https://jit.example.com/login/callback?token=${REDACTED}&next=%2F`,
  );
  assert.equal(
    redactText('cookie: iam_jit_session=s3cr3t; other=1'),
    `cookie: iam_jit_session=${REDACTED}; other=1`,
  );
  assert.equal(
    redactText('{"SecretAccessKey":"wJalrXUtnFEMI","AccessKeyId":"ASIA1"}'),
    `{"SecretAccessKey":"${REDACTED}","AccessKeyId":"ASIA1"}`,
  );
  assert.equal(
    redactText('https://signin.aws.amazon.com/federation?Action=login&SigninToken=xyz123'),
    `https://signin.aws.amazon.com/federation?Action=login&SigninToken=${REDACTED}`,
  );
  // ordinary words are left alone
  assert.equal(redactText('invalid bearer token format'), 'invalid bearer token format');
  assert.equal(
    redactText('request req_123 approved by email:bob@example.com'),
    'request req_123 approved by email:bob@example.com',
  );
});

test('redactSecrets replaces secret-named fields at any depth, keeps numbers and the rest, does not touch the input', () => {
  const input = {
    user_id: 'email:a@example.com',
    headers: { Authorization: 'Bearer x', cookie: 'iam_jit_session=y', accept: 'application/json' },
    nested: [{ webhook_secret: 'whsec', password: 'p', session_token: 't', count: 3 }],
    max_tokens_per_user: 20,
    url: 'https://x.example/cb?token=abc',
    empty_token: '',
  };
  const copy = structuredClone(input);
  assert.deepEqual(redactSecrets(input), {
    user_id: 'email:a@example.com',
    headers: { Authorization: REDACTED, cookie: REDACTED, accept: 'application/json' },
    nested: [{ webhook_secret: REDACTED, password: REDACTED, session_token: REDACTED, count: 3 }],
    max_tokens_per_user: 20,
    url: `https://x.example/cb?token=${REDACTED}`,
    empty_token: '',
  });
  assert.deepEqual(input, copy);
});

test('redactSecrets turns errors into scrubbed plain objects, with code and cause', () => {
  const cause = new Error(`inner ${TOKEN}`);
  const e = Object.assign(new Error('outer with Bearer abcdefghijkl', { cause }), { code: 'E_X' });
  const out = redactSecrets({ err: e }) as { err: Record<string, unknown> };
  assert.equal(out.err.type, 'Error');
  assert.equal(out.err.message, `outer with Bearer ${REDACTED}`);
  assert.equal(out.err.code, 'E_X');
  assert.match(String(out.err.stack), /^Error: outer with Bearer \[REDACTED\]/);
  assert.equal((out.err.cause as Record<string, unknown>).message, `inner iamjit_${REDACTED}`);
});

test('redactSecrets survives cycles and very deep values', () => {
  const a: Record<string, unknown> = { name: 'a' };
  a.self = a;
  assert.deepEqual(redactSecrets(a), { name: 'a', self: '[Circular]' });
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 20; i++) deep = { d: deep };
  assert.match(JSON.stringify(redactSecrets(deep)), /"\[Truncated\]"/);
});
