#!/usr/bin/env node
// Node 20's `--test` neither globs nor discovers .ts files, so we list them ourselves and refuse to pass on none.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'test'];

function walk(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (/\.test\.tsx?$/.test(path)) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    walk(join(path, entry), out);
  }
  return out;
}

const files = roots
  .flatMap((root) => walk(root, []))
  .map((f) => relative(process.cwd(), f))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts(x) files found under ${roots.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
