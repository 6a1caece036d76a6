/**
 * IAM wildcard matching: `*` matches any run of characters (including none, and including `:` and `/`),
 * `?` matches exactly one character. Everything else is literal.
 * Source: IAM User Guide, "IAM JSON policy elements: Action" and "Resource" (wildcards in action names and ARNs).
 */

const cache = new Map<string, RegExp>();

/** Compiles an IAM wildcard pattern to an anchored RegExp (memoised). Actions compare case-insensitively. */
export function wildcardToRegExp(pattern: string, { caseInsensitive = false } = {}): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = cache.get(cacheKey);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
    );
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    if (cache.size > 50_000) cache.clear();
    cache.set(cacheKey, re);
  }
  return re;
}

/** True when `pattern` contains an IAM wildcard character. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True when `value` matches the IAM wildcard `pattern`. */
export function matchesWildcard(pattern: string, value: string, { caseInsensitive = false } = {}): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern))
    return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return wildcardToRegExp(pattern, { caseInsensitive }).test(value);
}
