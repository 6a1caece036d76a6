// The last line of defence against secrets in logs: every value logged passes through `redactSecrets`, which
// replaces the values of secret-named fields and cuts secrets out of free text (bearer tokens, API tokens, session
// cookies, token/secret query parameters such as the magic link's, AWS secret keys and session tokens).

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Field names whose text or object values are never logged (matched case-insensitively anywhere in the name). */
const SECRET_KEY =
  /authorization|cookie|password|passwd|secret|token|api[_-]?key|credential|signature|private[_-]?key|session[_-]?key/i;

// Free-text patterns; each keeps its prefix so a reader still sees what was there.
const TEXT_RULES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\biamjit_[A-Za-z0-9_-]+/g, `iamjit_${REDACTED}`],
  [/\b(iam_jit_session=)[^;\s"']+/g, `$1${REDACTED}`],
  [
    /([?&#](?:[a-z0-9_.-]*token|code|secret|password|signature|sig|key|x-amz-signature|x-amz-security-token|x-amz-credential)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [
    /((?:secret_?access_?key|session_?token|secret|password|token)["']?\s*[:=]\s*["']?)[^"',;\s}&]+/gi,
    `$1${REDACTED}`,
  ],
];

/** `text` with every secret-looking part replaced by `[REDACTED]`. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to log: strings scrubbed with `redactText`, values of secret-named fields replaced,
 * errors turned into `{ type, message, stack, code?, cause? }` (scrubbed), cycles and depth beyond 8 cut. Never
 * throws; the input is not modified.
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return errorOf(value, depth, seen);
    if (value instanceof Date) return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      // Numbers and flags under such names (`max_tokens`, `token_count`) are not secrets; text and objects are.
      const secret =
        SECRET_KEY.test(key) &&
        ((typeof v === 'string' && v !== '') || (typeof v === 'object' && v !== null));
      out[key] = secret ? REDACTED : walk(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function errorOf(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: e.name,
    message: redactText(e.message),
    stack: e.stack === undefined ? undefined : redactText(e.stack),
  };
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (e.cause !== undefined) out.cause = walk(e.cause, depth + 1, seen);
  return out;
}
