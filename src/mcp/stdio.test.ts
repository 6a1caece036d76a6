// iam-jit-mcp's settings check (the binary itself runs in test/mcp/stdio.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readStdioSettings } from './stdio.ts';

test('accepts an http(s) base URL and an iamjit_ token, trimmed', () => {
  assert.deepEqual(
    readStdioSettings({ IAM_JIT_BASE_URL: ' https://jit.example.com ', IAM_JIT_API_TOKEN: 'iamjit_x ' }),
    {
      ok: true,
      value: { baseUrl: 'https://jit.example.com', token: 'iamjit_x' },
    },
  );
});

test('reports every problem at once, naming the variable', () => {
  const r = readStdioSettings({ IAM_JIT_BASE_URL: 'not a url', IAM_JIT_API_TOKEN: 'ghp_123' });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.error, [
    'IAM_JIT_BASE_URL is not a URL: not a url',
    'IAM_JIT_API_TOKEN does not look like an iam-jit token (iamjit_…)',
  ]);
  const empty = readStdioSettings({});
  assert.deepEqual(!empty.ok && empty.error.map((e) => e.split(' ')[0]), [
    'IAM_JIT_BASE_URL',
    'IAM_JIT_API_TOKEN',
  ]);
});
