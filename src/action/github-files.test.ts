import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { appendOutput, appendSummary, parseOutputFile } from './github-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'iam-jit-ghfiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Format from GitHub Docs, "Workflow commands for GitHub Actions" → "Setting an output parameter" / "Multiline strings".
test('github files: outputs use the heredoc form, multi-line values survive, summaries append', () => {
  const out = join(dir, 'output');
  appendOutput(out, 'score', '7');
  appendOutput(out, 'summary', '## Title\n\n| a | b |\n');
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^score<<ghadelimiter_[0-9a-f-]{36}\n7\nghadelimiter_[0-9a-f-]{36}\n/);
  const parsed = parseOutputFile(text);
  assert.equal(parsed.get('score'), '7');
  assert.equal(parsed.get('summary'), '## Title\n\n| a | b |\n');
  const summary = join(dir, 'summary');
  appendSummary(summary, 'one');
  appendSummary(summary, 'two\n');
  assert.equal(readFileSync(summary, 'utf8'), 'one\ntwo\n');
});
