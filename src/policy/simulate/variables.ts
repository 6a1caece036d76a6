/**
 * IAM policy variables in Resource/NotResource and in string, ARN and Bool condition values.
 * Source: IAM User Guide, "IAM policy elements: Variables and tags"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
 * - `${key}` is replaced by the single value of a context key (names case-insensitive); a multivalued key
 *   cannot be used as a variable.
 * - `${key, 'default'}` uses the default when the key has no value.
 * - `${*}`, `${?}`, `${$}` stand for a literal `*`, `?`, `$`.
 * - A variable with no value is "effectively null": the value containing it matches nothing.
 */
import type { RequestContext } from './context.ts';

/**
 * A piece of a template. `pattern` text keeps IAM wildcards (`*`, `?`) meaningful in like-comparisons;
 * `literal` text (special characters, substituted values, defaults) always compares literally.
 */
export type TemplatePart =
  | { kind: 'pattern'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; key: string; fallback?: string };

/** A parsed policy string: its parts and whether it holds variables. */
export interface Template {
  raw: string;
  parts: readonly TemplatePart[];
  hasVariables: boolean;
}

/** A template with its variables substituted: only `pattern` and `literal` parts remain. */
export type ResolvedParts = readonly (TemplatePart & { kind: 'pattern' | 'literal' })[];

const SPECIAL: Record<string, string> = { '${*}': '*', '${?}': '?', '${$}': '$' };
const VARIABLE_RE = /^\s*([^\s,'}]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/** Splits a policy string into pattern text, literal specials and variables. Never throws; malformed `${` stays text. */
export function parseTemplate(raw: string): Template {
  if (!raw.includes('${')) return { raw, parts: [{ kind: 'pattern', text: raw }], hasVariables: false };
  const parts: TemplatePart[] = [];
  let text = '';
  let hasVariables = false;
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf('${', i);
    if (start < 0) break;
    const special = SPECIAL[raw.slice(start, start + 4)];
    if (special !== undefined) {
      text += raw.slice(i, start);
      if (text) parts.push({ kind: 'pattern', text });
      text = '';
      parts.push({ kind: 'literal', text: special });
      i = start + 4;
      continue;
    }
    const end = findClose(raw, start + 2);
    const m = end < 0 ? null : VARIABLE_RE.exec(raw.slice(start + 2, end));
    if (!m) {
      text += raw.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    text += raw.slice(i, start);
    if (text) parts.push({ kind: 'pattern', text });
    text = '';
    const fallback = m[2]?.replaceAll("''", "'");
    parts.push({
      kind: 'variable',
      key: m[1]!.toLowerCase(),
      ...(fallback !== undefined ? { fallback } : {}),
    });
    hasVariables = true;
    i = end + 1;
  }
  text += raw.slice(i);
  if (text) parts.push({ kind: 'pattern', text });
  return { raw, parts, hasVariables };
}

/** Index of the `}` closing a variable whose body starts at `from`, skipping `}` inside a quoted default. */
function findClose(raw: string, from: number): number {
  let quoted = false;
  for (let i = from; i < raw.length; i++) {
    const c = raw[i];
    if (c === "'") quoted = !quoted;
    else if (c === '}' && !quoted) return i;
  }
  return -1;
}

/**
 * Substitutes the variables of a template from the request context. Returns `null` when a variable has no
 * value and no default (the policy value is then effectively null and matches nothing).
 */
export function resolveTemplate(template: Template, context: RequestContext): ResolvedParts | null {
  if (!template.hasVariables) return template.parts as ResolvedParts;
  const out: (TemplatePart & { kind: 'pattern' | 'literal' })[] = [];
  for (const part of template.parts) {
    if (part.kind !== 'variable') {
      out.push(part);
      continue;
    }
    const entry = context.get(part.key);
    // IAM: multivalued keys cannot be policy variables; an empty value set has no value either.
    const value = entry && !entry.multi && entry.values.length === 1 ? entry.values[0] : part.fallback;
    if (value === undefined) return null;
    out.push({ kind: 'literal', text: value });
  }
  return out;
}

/** The resolved value as a plain string (for equality comparisons, where `*` and `?` are ordinary characters). */
export function partsToString(parts: ResolvedParts): string {
  let s = '';
  for (const part of parts) s += part.text;
  return s;
}
