import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLog } from './app.ts';

function capture(): { lines: string[]; write(s: string): void } {
  const lines: string[] = [];
  return { lines, write: (s: string) => void lines.push(s) };
}

test('IAM_JIT_LOG_LEVEL: lines below the level are dropped; the rest are JSON with the message', () => {
  const info = capture();
  createLog({ logLevel: 'info' }, info).info({ user_id: 'email:a@b.c' }, 'dev mode sign-in link');
  assert.equal(info.lines.length, 1);
  const line = JSON.parse(info.lines[0] ?? '{}') as { msg?: string; user_id?: string; level?: number };
  assert.equal(line.msg, 'dev mode sign-in link');
  assert.equal(line.user_id, 'email:a@b.c');
  const warn = capture();
  const log = createLog({ logLevel: 'warn' }, warn);
  log.info({}, 'quiet');
  log.warn({}, 'loud');
  assert.equal(warn.lines.length, 1);
  assert.match(warn.lines[0] ?? '', /"msg":"loud"/);
  const silent = capture();
  createLog({ logLevel: 'silent' }, silent).error({}, 'nothing');
  assert.deepEqual(silent.lines, []);
});
