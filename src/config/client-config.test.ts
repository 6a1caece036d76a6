import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadClientConfig } from './client-config.ts';
import { ConfigError } from './load-config.ts';

test('client config: defaults to the local server, needs no secret, validates both variables', () => {
  assert.deepEqual(loadClientConfig({ IAM_JIT_DATABASE_URL: 'mysql://ignored' }), {
    baseUrl: 'http://127.0.0.1:8080',
    apiToken: undefined,
  });
  const token = `iamjit_${'b'.repeat(43)}`;
  assert.deepEqual(
    loadClientConfig({ IAM_JIT_BASE_URL: 'https://jit.example.com/', IAM_JIT_API_TOKEN: token }),
    {
      baseUrl: 'https://jit.example.com',
      apiToken: token,
    },
  );
  assert.throws(
    () => loadClientConfig({ IAM_JIT_BASE_URL: 'jit', IAM_JIT_API_TOKEN: 'secret-ish' }),
    (e) =>
      e instanceof ConfigError &&
      e.problems.map((p) => p.variable).join() === 'IAM_JIT_BASE_URL,IAM_JIT_API_TOKEN' &&
      !e.message.includes('secret-ish'),
  );
});
