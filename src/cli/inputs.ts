import { readFile } from 'node:fs/promises';
import { extractPolicies } from './extract/extract.ts';
import type { ExtractedPolicy, InputError } from './extract/types.ts';

/** Reads standard input to the end as UTF-8. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** How the CLI reads its inputs; tests pass their own. */
export interface InputReader {
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
}

export const defaultInputReader: InputReader = {
  readFile: (path) => readFile(path, 'utf8'),
  readStdin: () => readStdin(),
};

/**
 * Reads each input (`-` is standard input, read once) and extracts its policies. An unreadable file becomes an
 * `InputError` at 1:1 with the system's reason; never throws for missing or malformed inputs.
 */
export async function loadPolicies(
  paths: readonly string[],
  reader: InputReader = defaultInputReader,
): Promise<{ policies: ExtractedPolicy[]; errors: InputError[] }> {
  const policies: ExtractedPolicy[] = [];
  const errors: InputError[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = path === '-' ? await reader.readStdin() : await reader.readFile(path);
    } catch (e) {
      errors.push({ file: path, line: 1, column: 1, message: `cannot read file: ${describeIoError(e)}` });
      continue;
    }
    const found = extractPolicies(path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    policies.push(...found.policies);
    errors.push(...found.errors);
  }
  return { policies, errors };
}

function describeIoError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** `file:line:col: message`, the one-line form of an input error. */
export function formatInputError(e: InputError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}
