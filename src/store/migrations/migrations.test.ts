import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS } from './index.ts';

/**
 * SHA-256 of each migration file. Migrations are immutable once committed: databases in the field have run them,
 * and Kysely never re-runs an applied migration. Change the schema with a new dated file and add its hash here.
 */
const RECORDED: Record<string, string> = {
  '2026-11-23-01-identity': '69af351207e032432a262fcf8c4e3d6695d9ff379880ea47011e10333840af89',
  '2026-11-23-02-requests': 'b08c65dc17c9d2a5cf0eb7bb71a3f91faaff7810fd10e64ee9db7e202a23cba4',
  '2026-11-23-03-jobs': '7e097550e419bf5e3e4634a7ca6896d8572555ed4011c77bde3b7787ad7270b4',
  '2026-11-23-04-audit': 'bdeb403d782b6acb47a4dc7384dc6bed34ad62cd348a83f3cc3e4201cffe222c',
  '2026-11-23-05-grants': '6929cf2468fb9bab6f0159e46d54a47aa073903ff65926614fff4d3f307f87f8',
  '2026-11-23-06-notifications': '5ad2b6806e9a0b43fda65c13b24da1f28c583673cf049d2cd8ef91603a371627',
  '2026-11-23-07-grant-regions-extensions':
    '40605f5a58f09a2fb16e8880dc95a58972fa6ad740d2a69e479a88bd5c019cd8',
  '2026-11-23-08-report-indexes': '83c1976b4c10b870043e8d8ae3eaae22cc5802843e7f1d7fe139b3ed727c8b29',
  '2026-11-23-09-account-permission-set': 'a5d8e987ad2f80de98c8ecf78571b91352d8f321e00cef9c436eb2d497141d25',
  '2026-11-23-10-job-claim-index': '751ac4a43e6687a749b89b3d560a657c0595338e4a99b9b84702b773b137b85c',
};

test('every migration file is listed in index.ts, and every listed one has a file', () => {
  const files = readdirSync(import.meta.dirname)
    .filter((f) => /^\d{4}-\d{2}-\d{2}-.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(Object.keys(MIGRATIONS).sort(), files);
});

test('applied migrations are unchanged (immutable)', () => {
  for (const name of Object.keys(MIGRATIONS)) {
    const text = readFileSync(join(import.meta.dirname, `${name}.ts`));
    const hash = createHash('sha256').update(text).digest('hex');
    assert.equal(
      hash,
      RECORDED[name],
      `${name}.ts changed or is new: add a new migration instead (or record its hash)`,
    );
  }
});
