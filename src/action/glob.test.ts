import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { expandGlobs, globToRegExp } from './glob.ts';

// Glob semantics as in GitHub Actions path filters ("Filter pattern cheat sheet", GitHub Docs).
const CASES: [glob: string, path: string, matches: boolean][] = [
  ['*.json', 'a.json', true],
  ['*.json', 'dir/a.json', false],
  ['**/*.json', 'a.json', true],
  ['**/*.json', 'x/y/a.json', true],
  ['iam/**', 'iam/a/b.yaml', true],
  ['iam/*.{json,yaml}', 'iam/p.yaml', true],
  ['iam/*.{json,yaml}', 'iam/p.yml', false],
  ['policy?.json', 'policy1.json', true],
  ['policy?.json', 'policy10.json', false],
  ['p[0-9].json', 'p7.json', true],
  ['a.b', 'axb', false],
];

for (const [glob, path, matches] of CASES) {
  test(`glob: ${glob} ${matches ? 'matches' : 'does not match'} ${path}`, () => {
    assert.equal(globToRegExp(glob).test(path), matches);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'iam-jit-glob-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('glob: expands patterns under a directory, sorted, skipping node_modules, with ! exclusions', () => {
  for (const f of [
    'iam/a.json',
    'iam/b.json',
    'iam/sub/c.json',
    'iam/skip.json',
    'node_modules/x/d.json',
    'e.yaml',
  ]) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '{}');
  }
  assert.deepEqual(expandGlobs(['**/*.json', '!iam/skip.json'], dir), [
    'iam/a.json',
    'iam/b.json',
    'iam/sub/c.json',
  ]);
  assert.deepEqual(expandGlobs(['iam/*.json'], dir), ['iam/a.json', 'iam/b.json', 'iam/skip.json']);
  assert.deepEqual(expandGlobs(['e.yaml', 'missing.json'], dir), ['e.yaml']);
  assert.deepEqual(expandGlobs(['./iam/sub/*.json', 'iam/sub/c.json'], dir), ['iam/sub/c.json']);
  // `${{ github.workspace }}/iam/*.json` is an absolute pattern inside the workspace.
  assert.deepEqual(expandGlobs([`${dir}/iam/*.json`, `!${dir}/iam/skip.json`], dir), [
    'iam/a.json',
    'iam/b.json',
  ]);
});
