import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './load-config.ts';
import { configSchema, ENV_PREFIX } from './schema.ts';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

test('docs/configuration.md documents every variable with its YAML key', () => {
  for (const name of Object.keys(configSchema.shape)) {
    assert.match(DOC, new RegExp(`\\| \`${name}\` +\\|`), `${name} is missing from docs/configuration.md`);
    if (name !== 'IAM_JIT_CONFIG')
      assert.ok(
        DOC.includes(`\`${name.slice(ENV_PREFIX.length).toLowerCase()}\``),
        `${name}: YAML key not documented`,
      );
  }
});

test('the example iam-jit.yaml in docs/configuration.md is valid', () => {
  const example = /## Example `iam-jit.yaml`\s+```yaml\n([\s\S]*?)```/.exec(DOC)?.[1];
  assert.ok(example);
  const c = loadConfig({ IAM_JIT_SECRET_KEY: 'cd'.repeat(32) }, { yamlText: example });
  assert.equal(c.requests.maxDurationHours, 8);
  assert.equal(c.server.host, '0.0.0.0');
});
