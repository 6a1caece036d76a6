// The runner (src/jobs/) over the real store on both dialects. It lives in store/ because domain folders may not
// import store/ (test/architecture.test.ts).
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { forEachDialect, openTestDatabase } from '../../test/support/dialects.ts';
import { postgresAvailability } from '../../test/support/postgres.ts';
import { defineJob } from '../jobs/handlers.ts';
import type { JobRecord } from '../jobs/job.ts';
import { PermanentJobError } from '../jobs/run-job.ts';
import { createJobRunner, type JobRunnerOptions } from '../jobs/runner.ts';
import { createFakeClock, SECOND } from '../lib/clock.ts';
import { createDatabase, type Database } from './database.ts';
import { DIALECTS } from './db.ts';
import { createJobQueue, createJobStore } from './jobs-repo.ts';
import { migrateToLatest } from './migrate.ts';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const Payload = z.object({ name: z.string() });

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Polls `check` every 20 ms until it returns true; fails after `ms` (a safety net, not a timing assertion). */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (await check()) return;
  assert.fail(`condition not met within ${ms} ms`);
}

forEachDialect('job runner', (ctx) => {
  beforeEach(() => ctx.reset());
  const setup = (options: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'definitions'>) => {
    const clock = createFakeClock(T0);
    const queue = createJobQueue(ctx.database.db, { clock });
    const runner = createJobRunner({ store: createJobStore(ctx.database), clock, ...options });
    return { clock, queue, runner };
  };

  test('runs due jobs in run_at order and leaves future jobs and unknown types alone', async () => {
    const ran: string[] = [];
    const job = defineJob({ type: 'note', payload: Payload, run: async ({ name }) => void ran.push(name) });
    const { clock, queue, runner } = setup({ definitions: [job], concurrency: 1 });
    for (const [name, ms] of [
      ['third', 3000],
      ['first', 1000],
      ['later', 60_000],
      ['second', 2000],
    ] as const) {
      await queue.enqueue({ type: 'note', payload: { name }, runAt: at(ms) });
    }
    const stranger = await queue.enqueue({ type: 'unknown', payload: {} });
    assert.equal(await runner.runDue(), 0);
    clock.advance(5 * SECOND);
    assert.equal(await runner.runDue(), 3);
    assert.deepEqual(ran, ['first', 'second', 'third']);
    assert.equal((await queue.get({ id: stranger.id }))?.status, 'pending');
    clock.advance(60 * SECOND);
    await runner.runDue();
    assert.deepEqual(ran, ['first', 'second', 'third', 'later']);
  });

  test('due urgent jobs are claimed before earlier due jobs of other types', async () => {
    const ran: string[] = [];
    const note = defineJob({ type: 'note', payload: Payload, run: async ({ name }) => void ran.push(name) });
    const expire = defineJob({
      type: 'expire',
      payload: Payload,
      urgent: true,
      run: async ({ name }) => void ran.push(name),
    });
    const { clock, queue, runner } = setup({ definitions: [note, expire], concurrency: 2 });
    for (const [type, name, ms] of [
      ['note', 'note 1', 1000],
      ['note', 'note 2', 1500],
      ['expire', 'expire 1', 2000],
      ['note', 'note 3', 2500],
      ['expire', 'expire 2', 3000],
      ['expire', 'expire 3', 3500],
    ] as const)
      await queue.enqueue({ type, payload: { name }, runAt: at(ms) });
    clock.advance(5 * SECOND);
    assert.equal(await runner.runDue(), 6);
    assert.deepEqual(ran, ['expire 1', 'expire 2', 'expire 3', 'note 1', 'note 2', 'note 3']);
  });

  test('while urgent jobs keep coming, other jobs overdue by 10 s still get the slots left', async () => {
    // Each handler notes how many runs were in flight when it started: the same claim round shares the count.
    const ran: string[] = [];
    let inFlight = () => 0;
    const record = async ({ name }: { name: string }) => {
      await new Promise((resolve) => setImmediate(resolve)); // every run of the round has started by now
      ran.push(`${name}@${inFlight()}`);
    };
    const note = defineJob({ type: 'note', payload: Payload, run: record });
    const expire = defineJob({ type: 'expire', payload: Payload, urgent: true, run: record });
    const { clock, queue, runner } = setup({ definitions: [note, expire], concurrency: 3 });
    inFlight = () => runner.inFlight;
    await queue.enqueue({ type: 'note', payload: { name: 'old note' }, runAt: at(0) });
    await queue.enqueue({ type: 'note', payload: { name: 'fresh note' }, runAt: at(19_000) });
    await queue.enqueue({ type: 'expire', payload: { name: 'expire' }, runAt: at(19_500) });
    clock.advance(20 * SECOND);
    // Round one: the note 20 s overdue (a reserved slot) and the urgent job; the note 1 s overdue waits for round two.
    assert.equal(await runner.runDue(), 3);
    assert.deepEqual(ran, ['old note@2', 'expire@2', 'fresh note@1']);
  });

  test('a failing job is retried with exponential backoff, then dead-lettered with one alert', async () => {
    const attempts: number[] = [];
    const dead: Array<[JobRecord, string]> = [];
    const flaky = defineJob({
      type: 'flaky',
      payload: Payload,
      run: async (_p, { attempt }) => {
        attempts.push(attempt);
        throw new Error(`AWS throttled (attempt ${attempt})`);
      },
    });
    const { clock, queue, runner } = setup({
      definitions: [flaky],
      backoff: { baseMs: 1000, capMs: 3000 },
      random: () => 0.5,
      onDead: (job, error) => void dead.push([job, error]),
    });
    const { id } = await queue.enqueue({ type: 'flaky', payload: { name: 'x' }, maxAttempts: 4 });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await runner.runDue();
      const job = await queue.get({ id });
      if (job?.status !== 'pending') break;
      delays.push(job.runAt.getTime() - clock.now().getTime());
      clock.set(job.runAt);
    }
    // Ceilings 1 s, 2 s, then the 3 s cap; the jitter draw of 0.5 halves each.
    assert.deepEqual(delays, [500, 1000, 1500]);
    assert.deepEqual(attempts, [1, 2, 3, 4]);
    const job = await queue.get({ id });
    assert.equal(job?.status, 'dead');
    assert.equal(job?.lastError, 'Error: AWS throttled (attempt 4)');
    assert.equal(dead.length, 1);
    assert.equal(dead[0]?.[0].id, id);
    assert.equal(dead[0]?.[1], 'Error: AWS throttled (attempt 4)');
  });

  test('a type with a retry window dead-letters once the next retry would fall outside it', async () => {
    const dead: string[] = [];
    const webhook = defineJob({
      type: 'webhook',
      payload: Payload,
      retryForMs: 2500,
      backoff: { baseMs: 1000, capMs: 1000 },
      run: async () => {
        throw new Error('HTTP 503');
      },
    });
    const { clock, queue, runner } = setup({
      definitions: [webhook],
      random: () => 0.999,
      onDead: (_j, e) => void dead.push(e),
    });
    const { id } = await queue.enqueue({ type: 'webhook', payload: { name: 'x' }, maxAttempts: 100 });
    for (let i = 0; i < 5; i++) {
      await runner.runDue();
      const job = await queue.get({ id });
      if (job?.status !== 'pending') break;
      clock.set(job.runAt);
    }
    // Retries at +999 ms and +1998 ms fit the 2.5 s window; the third would start at +2997 ms.
    assert.deepEqual(await queue.get({ id }).then((j) => [j?.status, j?.attempts]), ['dead', 3]);
    assert.deepEqual(dead, ['Error: HTTP 503 (retry window of 2500 ms exhausted)']);
  });

  test('a handler that overruns its timeout is aborted and retried', async () => {
    const slow = defineJob({
      type: 'slow',
      payload: Payload,
      timeoutMs: 50,
      run: (_p, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const { queue, runner } = setup({ definitions: [slow] });
    const { id } = await queue.enqueue({ type: 'slow', payload: { name: 'x' } });
    await runner.runDue();
    const job = await queue.get({ id });
    assert.deepEqual([job?.status, job?.attempts], ['pending', 1]);
    assert.equal(job?.lastError, 'JobTimeout: handler did not finish within 50 ms');
  });

  test('a malformed payload or a PermanentJobError dead-letters at once', async () => {
    const dead: string[] = [];
    let ran = 0;
    const strict = defineJob({ type: 'strict', payload: Payload, run: async () => void ran++ });
    const hopeless = defineJob({
      type: 'hopeless',
      payload: Payload,
      run: async () => {
        throw new PermanentJobError('grant grt_1 no longer exists');
      },
    });
    const { queue, runner } = setup({
      definitions: [strict, hopeless],
      onDead: (_j, e) => void dead.push(e),
    });
    const bad = await queue.enqueue({ type: 'strict', payload: { name: 42 } });
    const gone = await queue.enqueue({ type: 'hopeless', payload: { name: 'x' } });
    await runner.runDue();
    assert.equal(ran, 0);
    const badJob = await queue.get({ id: bad.id });
    assert.equal(badJob?.status, 'dead');
    assert.match(badJob?.lastError ?? '', /^malformed payload for job type strict: .*name/s);
    assert.deepEqual(await queue.get({ id: gone.id }).then((j) => [j?.status, j?.attempts, j?.lastError]), [
      'dead',
      1,
      'PermanentJobError: grant grt_1 no longer exists',
    ]);
    assert.equal(dead.length, 2);
  });

  test('a job whose worker died is taken over after its lease; on the last attempt it is dead-lettered', async () => {
    const ran: string[] = [];
    const job = defineJob({ type: 'note', payload: Payload, run: async ({ name }) => void ran.push(name) });
    const { clock, queue, runner } = setup({ definitions: [job] });
    const store = createJobStore(ctx.database);
    const retried = await queue.enqueue({ type: 'note', payload: { name: 'retried' }, maxAttempts: 2 });
    const last = await queue.enqueue({ type: 'note', payload: { name: 'last' }, maxAttempts: 1 });
    assert.equal(
      (await store.claim({ types: ['note'], owner: 'crashed', now: T0, leaseMs: 30_000, limit: 5 })).length,
      2,
    );
    assert.equal(await runner.runDue(), 0);
    clock.advance(30 * SECOND);
    assert.equal(await runner.runDue(), 2);
    assert.deepEqual(ran, ['retried']);
    assert.deepEqual(
      await queue.get({ id: retried.id }).then((j) => [j?.status, j?.attempts, j?.leaseOwner]),
      ['succeeded', 2, runner.owner],
    );
    const dead = await queue.get({ id: last.id });
    assert.equal(dead?.status, 'dead');
    assert.match(dead?.lastError ?? '', /lease expired during run 1 of 1/);
  });

  test('a long handler keeps its lease by renewing it', async () => {
    const renewed = deferred();
    const { clock, queue, runner } = setup({
      leaseMs: 600,
      definitions: [
        defineJob({
          type: 'slow',
          payload: Payload,
          run: async () => {
            clock.advance(10 * SECOND); // well past the first lease
            await renewed.promise;
          },
        }),
      ],
    });
    const { id } = await queue.enqueue({ type: 'slow', payload: { name: 'x' } });
    const running = runner.runDue();
    await eventually(
      async () => ((await queue.get({ id }))?.leaseExpiresAt?.getTime() ?? 0) > at(10 * SECOND).getTime(),
    );
    const store = createJobStore(ctx.database);
    assert.deepEqual(
      await store.claim({ types: ['slow'], owner: 'other', now: clock.now(), leaseMs: 1000, limit: 1 }),
      [],
    );
    renewed.resolve();
    await running;
    assert.equal((await queue.get({ id }))?.status, 'succeeded');
  });

  test('the timer wakes for a due job and on an in-process enqueue; stop waits for running handlers', async () => {
    const started = new Map<string, ReturnType<typeof deferred<void>>>();
    const gate = deferred();
    const seen = (name: string) => {
      if (!started.has(name)) started.set(name, deferred());
      return started.get(name) as ReturnType<typeof deferred<void>>;
    };
    const job = defineJob({
      type: 'note',
      payload: Payload,
      run: async ({ name }) => {
        seen(name).resolve();
        if (name === 'gated') await gate.promise;
      },
    });
    const runner = createJobRunner({
      store: createJobStore(ctx.database),
      definitions: [job],
      pollMs: 60_000,
    });
    const queue = createJobQueue(ctx.database.db, {
      clock: { now: () => new Date() },
      onEnqueued: (d) => runner.wake(d),
    });
    runner.start();
    // With a 60 s poll, only the wake-up and the next-due timer can run these within the test.
    await queue.enqueue({ type: 'note', payload: { name: 'now' } });
    await seen('now').promise;
    await queue.enqueue({ type: 'note', payload: { name: 'soon' }, runAt: new Date(Date.now() + 300) });
    await seen('soon').promise;
    const gated = await queue.enqueue({ type: 'note', payload: { name: 'gated' } });
    await seen('gated').promise;
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    assert.equal(stopped, false);
    assert.equal(runner.inFlight, 1);
    gate.resolve();
    await stopping;
    assert.equal((await queue.get({ id: gated.id }))?.status, 'succeeded');
    const after = await queue.enqueue({ type: 'note', payload: { name: 'after-stop' } });
    await sleep(150);
    assert.equal((await queue.get({ id: after.id }))?.status, 'pending');
  });

  test("another process's enqueue is found by the fallback poll", { timeout: 10_000 }, async () => {
    const ran = deferred<string>();
    const job = defineJob({ type: 'note', payload: Payload, run: async ({ name }) => ran.resolve(name) });
    const store = createJobStore(ctx.database);
    const idle = deferred();
    // Tells the test when the runner has looked at the empty table and gone to sleep on its timer.
    const watched = {
      ...store,
      nextDueAt: (types: readonly string[]) => store.nextDueAt(types).finally(idle.resolve),
    };
    const runner = createJobRunner({ store: watched, definitions: [job], pollMs: 200 });
    runner.start();
    try {
      await idle.promise;
      // No wake-up: as far as this runner knows, some other replica inserted the row.
      await createJobQueue(ctx.database.db, { clock: { now: () => new Date() } }).enqueue({
        type: 'note',
        payload: { name: 'elsewhere' },
      });
      assert.equal(await ran.promise, 'elsewhere');
    } finally {
      await runner.stop();
    }
  });

  test('stop past its grace period aborts handlers and releases their jobs unrun', async () => {
    const entered = deferred();
    const job = defineJob({
      type: 'stuck',
      payload: Payload,
      run: async (_p, { signal }) => {
        entered.resolve();
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const queue = createJobQueue(ctx.database.db, { clock: { now: () => new Date() } });
    const { id } = await queue.enqueue({ type: 'stuck', payload: { name: 'x' } });
    const runner = createJobRunner({ store: createJobStore(ctx.database), definitions: [job] });
    runner.start();
    await entered.promise;
    await runner.stop({ graceMs: 50 });
    assert.deepEqual(await queue.get({ id }).then((j) => [j?.status, j?.attempts, j?.leaseExpiresAt]), [
      'pending',
      0,
      null,
    ]);
  });
});

// Two runners with separate connection pools on one database, as two server processes would be.
for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && postgresAvailability() === 'skip') continue;
  describe(`two job runners on one database [${dialect}]`, () => {
    const opened: Array<{ dispose: () => Promise<void> }> = [];
    after(async () => {
      for (const o of opened.reverse()) await o.dispose();
    });

    test('never run the same job twice over a few hundred jobs', { timeout: 60_000 }, async () => {
      const first = await openTestDatabase(dialect);
      opened.push(first);
      await migrateToLatest(first.database.db);
      const second: Database = createDatabase(first.url, { poolSize: 4 });
      opened.push({ dispose: () => second.close() });
      const runs = new Map<string, number>();
      const byRunner = new Map<string, number>();
      const makeRunner = (database: Database, owner: string) =>
        createJobRunner({
          store: createJobStore(database),
          owner,
          concurrency: 4,
          pollMs: 100,
          definitions: [
            defineJob({
              type: 'count',
              payload: z.object({ n: z.number() }),
              run: async (_p, { job }) => {
                runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
                byRunner.set(owner, (byRunner.get(owner) ?? 0) + 1);
                await sleep(1);
              },
            }),
          ],
        });
      const JOBS = 300;
      const queue = createJobQueue(first.database.db, { clock: { now: () => new Date() } });
      const dueAt = new Date();
      for (let n = 0; n < JOBS; n++) await queue.enqueue({ type: 'count', payload: { n }, runAt: dueAt });
      const runners = [makeRunner(first.database, 'r1'), makeRunner(second, 'r2')];
      for (const r of runners) r.start();
      try {
        await eventually(async () => {
          const left = await first.database.db
            .selectFrom('jobs')
            .select('id')
            .where('status', '!=', 'succeeded')
            .limit(1)
            .execute();
          return left.length === 0;
        }, 50_000);
      } finally {
        await Promise.all(runners.map((r) => r.stop()));
      }
      assert.equal(runs.size, JOBS);
      assert.deepEqual(
        [...runs.values()].filter((count) => count !== 1),
        [],
      );
      assert.equal((byRunner.get('r1') ?? 0) + (byRunner.get('r2') ?? 0), JOBS);
    });
  });
}
