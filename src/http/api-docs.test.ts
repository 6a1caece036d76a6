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
