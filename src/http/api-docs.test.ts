// docs/api.md must name every operation of the OpenAPI document (so a new route cannot ship undocumented).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/load-config.ts';
import { createHttpApp } from './app.ts';
import type { HttpServices } from './context.ts';

test('docs/api.md lists every route of /api/v1/openapi.json as `METHOD /path`', async () => {
  // Building the app and its document touches no service.
  const app = createHttpApp({} as HttpServices, loadConfig({ IAM_JIT_DEV_MODE: 'true' }));
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  assert.ok(operations.length >= 12);
  assert.deepEqual(
    operations.filter((op) => !docs.includes(`\`${op}\``)),
    [],
  );
});

test('the OpenAPI document is self-consistent: every $ref resolves, every operation has responses and a tag', async () => {
  const app = createHttpApp({} as HttpServices, loadConfig({ IAM_JIT_DEV_MODE: 'true' }));
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, { responses?: object; tags?: string[] }>>;
    components: { schemas: Record<string, unknown> };
  };
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  assert.ok(refs.length > 0);
  assert.deepEqual(
    refs.filter((name) => doc.components.schemas[name] === undefined),
    [],
  );
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has no responses`);
      assert.ok((op.tags ?? []).length > 0, `${method} ${path} has no tag`);
    }
});
