import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BatchOutcome, createBatcher } from './batcher.ts';

const ok = <O>(value: O): BatchOutcome<O> => ({ status: 'fulfilled', value });

test('calls of the same turn share one batch; calls during a running batch form the next one', async () => {
  const batches: number[][] = [];
  let release: () => void = () => {};
  const submit = createBatcher<number, number>(async (items) => {
    batches.push([...items]);
    if (batches.length === 1) await new Promise<void>((r) => (release = r));
    return items.map((n) => ok(n * 10));
  });
  const first = [submit(1), submit(2), submit(3)];
  await new Promise((r) => setImmediate(r));
  const second = [submit(4), submit(5)];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(batches, [[1, 2, 3]], 'the second group waits for the running batch');
  release();
  assert.deepEqual(await Promise.all([...first, ...second]), [10, 20, 30, 40, 50]);
  assert.deepEqual(batches, [
    [1, 2, 3],
    [4, 5],
  ]);
});

test('batches hold at most maxSize items', async () => {
  const sizes: number[] = [];
  const submit = createBatcher<number, number>(
    async (items) => {
      sizes.push(items.length);
      return items.map(ok);
    },
    { maxSize: 4 },
  );
  const values = await Promise.all(Array.from({ length: 10 }, (_, i) => submit(i)));
  assert.deepEqual(values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(sizes, [4, 4, 2]);
});

test("a rejected outcome rejects only its own item's call", async () => {
  const submit = createBatcher<number, number>(async (items) =>
    items.map((n) => (n === 2 ? { status: 'rejected', reason: new Error('two is bad') } : ok(n))),
  );
  const results = await Promise.allSettled([submit(1), submit(2), submit(3)]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [1, 'two is bad', 3],
  );
});

test('when the whole batch throws, each item is run alone so only the poisoned one fails', async () => {
  const batches: number[][] = [];
  const submit = createBatcher<number, number>(async (items) => {
    batches.push([...items]);
    if (items.includes(2)) throw new Error(`transaction failed for ${items.join(',')}`);
    return items.map(ok);
  });
  const results = await Promise.allSettled([submit(1), submit(2), submit(3)]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [1, 'transaction failed for 2', 3],
  );
  assert.deepEqual(batches, [[1, 2, 3], [1], [2], [3]]);
});

test('a run returning the wrong number of outcomes fails its items instead of leaving them hanging', async () => {
  const submit = createBatcher<number, number>(async () => []);
  await assert.rejects(submit(1), /batch run returned 0 outcomes for 1 items/);
  assert.throws(() => createBatcher(async () => [], { maxSize: 0 }), /maxSize must be ≥ 1/);
});
