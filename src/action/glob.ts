import { type Dirent, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Directories never searched: dependencies and VCS metadata. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Upper bound on directory entries visited per pattern, so a stray `**` cannot walk forever. */
const MAX_ENTRIES = 200_000;

/**
 * Compiles a glob to an anchored RegExp over `/`-separated relative paths: `**` spans directories, `*` and `?`
 * stay within one segment, `{a,b}` is alternation, `[abc]` a character class.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replaceAll('\\', '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function hasMagic(segment: string): boolean {
  return /[*?{[]/.test(segment);
}

/**
 * Files under `cwd` matching any of the patterns (relative to `cwd`, `/`-separated, sorted, deduplicated).
 * A pattern starting with `!` excludes what it matches. `node_modules` and `.git` are never searched.
 */
export function expandGlobs(patterns: readonly string[], cwd: string): string[] {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns
    .filter((p) => p.startsWith('!'))
    .map((p) => globToRegExp(normalise(p.slice(1), cwd)));
  const found = new Set<string>();
  for (const raw of include) {
    const pattern = normalise(raw, cwd);
    if (!hasMagic(pattern)) {
      if (isFile(join(cwd, pattern))) found.add(pattern);
      continue;
    }
    const segments = pattern.split('/');
    const firstMagic = segments.findIndex(hasMagic);
    const base = segments.slice(0, firstMagic).join('/');
    const re = globToRegExp(pattern);
    for (const file of walk(join(cwd, base), cwd)) if (re.test(file)) found.add(file);
  }
  return [...found].filter((f) => !exclude.some((re) => re.test(f))).sort();
}

/** Trims, uses `/`, drops a leading `./`, and makes an absolute pattern inside `cwd` relative to it. */
function normalise(pattern: string, cwd: string): string {
  const p = pattern.trim().replaceAll('\\', '/').replace(/^\.\//, '');
  const root = `${cwd.replaceAll('\\', '/').replace(/\/+$/, '')}/`;
  return isAbsolute(p) && p.startsWith(root) ? p.slice(root.length) : p;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function walk(dir: string, cwd: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_ENTRIES) {
    const current = stack.pop() ?? '';
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      visited++;
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) stack.push(path);
      } else if (entry.isFile()) {
        out.push(relative(cwd, path).split(sep).join('/'));
      }
    }
  }
  return out;
}
