// iam-jit is Apache-2.0 and self-hosted: every production dependency must carry a permissive licence.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const PERMISSIVE = new Set([
  'MIT',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
  'MIT-0',
]);

interface LockEntry {
  license?: string;
  dev?: boolean;
  devOptional?: boolean;
}

/** True when an SPDX expression is satisfiable with permissive licences only (`A OR B` needs one, `A AND B` both). */
export function isPermissive(expr: string): boolean {
  const clean = expr.replace(/[()]/g, ' ').trim();
  if (/\bOR\b/.test(clean)) return clean.split(/\bOR\b/).some((part) => isPermissive(part));
  if (/\bAND\b/.test(clean)) return clean.split(/\bAND\b/).every((part) => isPermissive(part));
  return PERMISSIVE.has(clean.trim());
}

test('licences: the SPDX check itself accepts and refuses the right expressions', () => {
  assert.equal(isPermissive('MIT'), true);
  assert.equal(isPermissive('(MIT OR GPL-3.0)'), true);
  assert.equal(isPermissive('AGPL-3.0'), false);
  assert.equal(isPermissive('MIT AND GPL-2.0'), false);
  assert.equal(isPermissive('LGPL-3.0-or-later'), false);
});

test('licences: every production dependency in package-lock.json is permissive', () => {
  const lock = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const offenders: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev) continue;
    checked++;
    if (!entry.license || !isPermissive(entry.license))
      offenders.push(`${path}: ${entry.license ?? 'no licence'}`);
  }
  assert.ok(checked > 0, 'no production dependencies found in the lockfile');
  assert.deepEqual(offenders, []);
});
