import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * Appends `name=value` to a `GITHUB_OUTPUT` file in the multi-line (heredoc) form
 * `name<<DELIMITER\nvalue\nDELIMITER\n`, with a random delimiter that cannot occur in the value
 * (GitHub Docs, "Workflow commands for GitHub Actions", "Multiline strings").
 */
export function appendOutput(file: string, name: string, value: string): void {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, 'utf8');
}

/** Appends Markdown to the job summary file (`GITHUB_STEP_SUMMARY`). */
export function appendSummary(file: string, markdown: string): void {
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}

/** Reads a `GITHUB_OUTPUT`-style file back into a map (both `k=v` and heredoc forms). For tests and tools. */
export function parseOutputFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      out.set(name, value.join('\n'));
    } else if (line.includes('=')) {
      out.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
    }
  }
  return out;
}
