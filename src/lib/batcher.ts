/**
 * Group commit for concurrent calls: items submitted while a batch runs, or in the same turn of the event loop, are
 * handed to `run` together (at most `maxSize` at a time, one batch at a time). There is no timer: a lone call starts
 * its batch on the next turn and waits for nothing else, so batching costs latency only under load, where it saves
 * the most (e.g. a thousand grants expiring in the same second share a few transactions instead of a thousand).
 */

/** What `run` returns for each item, in the items' order: the item's value, or why it failed. */
export type BatchOutcome<O> = PromiseSettledResult<O>;

/** Options of `createBatcher`. */
export interface BatcherOptions {
  /** Most items in one batch (default 100). */
  readonly maxSize?: number;
}

/**
 * Returns `submit(item)`, resolving with the item's outcome from `run`. `run` must return exactly one outcome per
 * item, in order. When `run` throws (e.g. its transaction failed), every item of a batch of several is run again
 * alone, so one bad item cannot fail the others; a lone item's error rejects its own call.
 */
export function createBatcher<I, O>(
  run: (items: readonly I[]) => Promise<readonly BatchOutcome<O>[]>,
  { maxSize = 100 }: BatcherOptions = {},
): (item: I) => Promise<O> {
  if (!(Number.isInteger(maxSize) && maxSize >= 1)) throw new Error('createBatcher: maxSize must be ≥ 1');
  interface Waiting {
    readonly item: I;
    readonly resolve: (value: O) => void;
    readonly reject: (reason: unknown) => void;
  }
  let queue: Waiting[] = [];
  let running = false;
  let scheduled = false;

  async function runBatch(batch: readonly Waiting[]): Promise<void> {
    let outcomes: readonly BatchOutcome<O>[];
    try {
      outcomes = await run(batch.map((w) => w.item));
      if (outcomes.length !== batch.length)
        throw new Error(`batch run returned ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (e) {
      if (batch.length === 1) {
        batch[0]?.reject(e);
        return;
      }
      for (const w of batch) await runBatch([w]);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i] as BatchOutcome<O>;
      if (outcome.status === 'fulfilled') w.resolve(outcome.value);
      else w.reject(outcome.reason);
    });
  }

  function schedule(): void {
    if (running || scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (running || queue.length === 0) return;
      running = true;
      const batch = queue.slice(0, maxSize);
      queue = queue.slice(batch.length);
      void runBatch(batch).finally(() => {
        running = false;
        schedule();
      });
    });
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
