import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Result } from '../../lib/result.ts';
import { err, ok } from '../../lib/result.ts';

/** A 1-based line and column in a source file. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Where a document failed to parse. */
export interface TextError extends TextPosition {
  message: string;
}

/** A parsed document: its plain JSON value and the position of every element, keyed by JSON pointer. */
export interface SourceDocument {
  value: unknown;
  positions: ReadonlyMap<string, TextPosition>;
}

/** Encodes path segments as a JSON pointer (RFC 6901): `['Statement', 0]` → `/Statement/0`. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Converts character offsets to 1-based line/column pairs (binary search over line starts). */
export function createLineIndex(text: string): (offset: number) => TextPosition {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/**
 * Parses strict JSON (no comments, no trailing commas) and records the position of every value.
 * Returns the first syntax error with its line and column instead of throwing.
 */
export function parseJsonDocument(text: string): Result<SourceDocument, TextError> {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const position = createLineIndex(text);
  const first = errors[0];
  if (first !== undefined || tree === undefined) {
    const at = position(first?.offset ?? 0);
    return err({ ...at, message: `invalid JSON: ${describeJsonError(first)}` });
  }
  const positions = new Map<string, TextPosition>();
  const value = walkJson(tree, '', positions, position);
  return ok({ value, positions });
}

function describeJsonError(error: ParseError | undefined): string {
  if (error === undefined) return 'empty document';
  const code = printParseErrorCode(error.error);
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function walkJson(
  node: JsonNode,
  pointer: string,
  positions: Map<string, TextPosition>,
  position: (offset: number) => TextPosition,
): unknown {
  positions.set(pointer, position(node.offset));
  if (node.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (keyNode === undefined || valueNode === undefined) continue;
      const key = String(keyNode.value);
      out[key] = walkJson(valueNode, `${pointer}${toPointer([key])}`, positions, position);
    }
    return out;
  }
  if (node.type === 'array') {
    return (node.children ?? []).map((child, i) => walkJson(child, `${pointer}/${i}`, positions, position));
  }
  return node.value as unknown;
}
