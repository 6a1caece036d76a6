import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWithLogContext } from './log-context.ts';
import { createLogger } from './logger.ts';

function capture() {
  const chunks: string[] = [];
  return {
    stream: { write: (s: string) => void chunks.push(s) },
    lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>),
  };
}

test('lines written inside a log context carry its fields, also across awaits; outside they do not', async () => {
  const out = capture();
  const log = createLogger('info', out.stream);
  log.info({ a: 1 }, 'before');
  await runWithLogContext({ request_id: 'r-1' }, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    log.warn({ b: 2 }, 'inside');
    await runWithLogContext({ job: 'j' }, async () => log.info({}, 'nested'));
  });
  log.info({}, 'after');
  const [before, inside, nested, after] = out.lines();
  assert.equal(before?.request_id, undefined);
  assert.equal(inside?.request_id, 'r-1');
  assert.equal(inside?.b, 2);
  assert.equal(nested?.request_id, 'r-1');
  assert.equal(nested?.job, 'j');
  assert.equal(after?.request_id, undefined);
});

test('fields, messages and errors are redacted before they are written', () => {
  const out = capture();
  const log = createLogger('info', out.stream);
  log.info(
    { headers: { authorization: 'Bearer abc' }, password: 'hunter2' },
    'link https://x/cb?token=t0k3n',
  );
  log.error({ err: new Error('failed for iamjit_abcdefghijklmnopqrstuvwxyz') }, 'oops');
  const text = out
    .lines()
    .map((l) => JSON.stringify(l))
    .join('\n');
  for (const secret of ['Bearer abc', 'hunter2', 't0k3n', 'iamjit_abcdefghijklmnopqrstuvwxyz']) {
    assert.ok(!text.includes(secret), secret);
  }
  const [first, second] = out.lines();
  assert.equal(first?.msg, 'link https://x/cb?token=[REDACTED]');
  assert.deepEqual(first?.headers, { authorization: '[REDACTED]' });
  assert.equal((second?.err as { message?: string } | undefined)?.message, 'failed for iamjit_[REDACTED]');
});
