/**
 * Wildcard patterns compiled to anchored regular expressions, in three flavours:
 * - `string` (StringLike): `*` any run of characters, `?` one character.
 * - `resource` (Resource/NotResource): within the first five colon-separated ARN segments `*` and `?` stay in
 *   their segment, except that "If the `*` wildcard is the last character of a resource ARN segment, it can
 *   expand to match beyond the colon boundaries"; in the resource part they match anything
 *   (IAM User Guide, "IAM JSON policy elements: Resource").
 * - `arn` (ArnLike/ArnEquals): "Each of the six colon-delimited components of the ARN is checked separately"
 *   (IAM User Guide, "Condition operators", ARN operators); a `*` ending the whole pattern covers the rest.
 * Matching is case-sensitive. Substituted variable values and `${*}`-style specials compare literally.
 */
import type { ResolvedParts } from './variables.ts';

/** Wildcard flavours: StringLike, the Resource element, ArnLike. */
export const PATTERN_MODES = ['string', 'resource', 'arn'] as const;
export type PatternMode = (typeof PATTERN_MODES)[number];

const REGEX_SPECIAL = /[.+^${}()|[\]\\*?]/g;

/** Escapes a string for literal use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** Regex source (without anchors) for resolved template parts in the given mode. */
export function patternSource(parts: ResolvedParts, mode: PatternMode): string {
  let src = '';
  let colons = 0;
  const total = parts.reduce((n, p) => n + p.text.length, 0);
  let pos = 0;
  for (let pi = 0; pi < parts.length; pi++) {
    const part = parts[pi]!;
    for (let ci = 0; ci < part.text.length; ci++, pos++) {
      const c = part.text[ci]!;
      if (c === ':') colons++;
      if (part.kind === 'literal' || (c !== '*' && c !== '?')) {
        src += escapeRegExp(c);
        continue;
      }
      const last = pos === total - 1;
      if (mode === 'string' || colons >= 5) src += c === '*' ? '.*' : '.';
      else if (c === '?') src += '[^:]';
      else {
        const next = nextChar(parts, pi, ci);
        src += last || (mode === 'resource' && next === ':') ? '.*' : '[^:]*';
      }
    }
  }
  return src;
}

function nextChar(parts: ResolvedParts, pi: number, ci: number): string | undefined {
  const here = parts[pi]!.text;
  if (ci + 1 < here.length) return here[ci + 1];
  for (let j = pi + 1; j < parts.length; j++) if (parts[j]!.text.length) return parts[j]!.text[0];
  return undefined;
}

/** True when a pattern (not literal) part holds `*` or `?`. */
export function hasWildcardParts(parts: ResolvedParts): boolean {
  return parts.some((p) => p.kind === 'pattern' && (p.text.includes('*') || p.text.includes('?')));
}

const regexCache = new Map<string, RegExp>();

/** Compiles (memoised) an anchored RegExp for the parts. */
export function compilePattern(parts: ResolvedParts, mode: PatternMode): RegExp {
  const source = `^${patternSource(parts, mode)}$`;
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(source, 's');
    if (regexCache.size > 20_000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

/** A compiled matcher: exact string comparison when there is no wildcard, otherwise a RegExp test. */
export type ValueMatcher = (value: string) => boolean;

const matcherCache = new Map<string, ValueMatcher>();

/**
 * Builds (memoised by mode and parts) a matcher for resolved parts. `*` alone in resource or string mode
 * matches everything. The cache keeps templates with policy variables cheap: each distinct substitution
 * compiles once.
 */
export function matcherFor(parts: ResolvedParts, mode: PatternMode): ValueMatcher {
  let key: string = mode;
  for (const p of parts) key += (p.kind === 'literal' ? '\u0000L' : '\u0000P') + p.text;
  let matcher = matcherCache.get(key);
  if (!matcher) {
    matcher = buildMatcher(parts, mode);
    if (matcherCache.size > 20_000) matcherCache.clear();
    matcherCache.set(key, matcher);
  }
  return matcher;
}

function buildMatcher(parts: ResolvedParts, mode: PatternMode): ValueMatcher {
  if (!hasWildcardParts(parts)) {
    let exact = '';
    for (const p of parts) exact += p.text;
    return (value) => value === exact;
  }
  if (parts.length === 1 && parts[0]!.text === '*') return () => true;
  const re = compilePattern(parts, mode);
  return (value) => re.test(value);
}
