import { type Clock, systemClock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { indexDefinitions, type JobDefinition } from './handlers.ts';
import type { BackoffOptions, JobRecord } from './job.ts';
import type { JobStore } from './ports.ts';
import { type ActiveRun, type RunDeps, startRun } from './run-job.ts';

/** Options of `createJobRunner`; durations in milliseconds. */
export interface JobRunnerOptions {
  readonly store: JobStore;
  /** The job types this runner executes; it never claims other types (they wait for a runner that knows them). */
  readonly definitions: readonly JobDefinition<unknown>[];
  readonly clock?: Clock;
  /** Names this runner in `lease_owner` (default a fresh `wrk_…` id). */
  readonly owner?: string;
  /** Handlers running at once (default 32). Throughput is about concurrency ÷ handler duration in seconds. */
  readonly concurrency?: number;
  /** Lease length; renewed every third of it while a handler runs (default 60 s). */
  readonly leaseMs?: number;
  /** Longest sleep between looks at the table, which bounds how late another process's enqueue is seen (default 1 s). */
  readonly pollMs?: number;
  /** Retry backoff for types that set none (default base 1 s, cap 1 h). */
  readonly backoff?: BackoffOptions;
  /** Source of jitter, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
  /** Told about each dead-lettered job, after the row is marked `dead` (the alert hook). */
  readonly onDead?: (job: JobRecord, error: string) => void | Promise<void>;
  /** Told about store errors and lost leases; the runner carries on. */
  readonly onError?: (error: unknown, job?: JobRecord) => void;
}

/** An in-process scheduler over the jobs table. */
export interface JobRunner {
  readonly owner: string;
  /** Handlers currently running. */
  readonly inFlight: number;
  /** Starts the timer loop; throws Error when already started or stopped. */
  start(): void;
  /**
   * Stops claiming, waits up to `graceMs` (default 30 s) for running handlers, then aborts the rest through their
   * signal and waits up to 1 s more. Jobs whose handler ended because of that abort are released (pending again, the
   * attempt not counted); a handler that ignores its signal keeps its lease until it expires. Idempotent: every call
   * returns the same promise.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /**
   * Hints that a job becomes due at `runAt` (default now), e.g. right after this process enqueued one: the timer
   * is moved earlier if needed. Because the enqueuing transaction may not have committed yet, a hint for "now" is
   * re-checked 100 ms later. Ignored unless started.
   */
  wake(runAt?: Date): void;
  /**
   * Claims and runs due jobs until none is due, then resolves with how many runs it recorded. For tests with a fake
   * clock and for one-shot CLI use; not needed once `start` was called.
   */
  runDue(): Promise<number>;
}

const RECHECK_MS = 100;
const BUSY_RETRY_MS = 25;
const ABORT_WAIT_MS = 1000;
const REFILL_MS = 5;
const BATCH_GAP_MS = 10;
const STARVE_MS = 10_000;

/** Creates a runner; nothing happens until `start()` (or `runDue()`). Throws Error on duplicate job types. */
export function createJobRunner({
  store,
  definitions,
  clock = systemClock,
  owner = newId('wrk'),
  concurrency = 32,
  leaseMs = 60_000,
  pollMs = 1000,
  backoff = {},
  random = Math.random,
  onDead = () => {},
  onError = () => {},
}: JobRunnerOptions): JobRunner {
  if (!(concurrency >= 1 && leaseMs > 0 && pollMs > 0)) throw new Error('createJobRunner: invalid options');
  const byType = indexDefinitions(definitions);
  const types = [...byType.keys()];
  const urgentTypes = definitions.filter((d) => d.urgent === true).map((d) => d.type);
  const otherTypes = types.filter((t) => !urgentTypes.includes(t));
  const reserved = Math.max(1, Math.floor(concurrency / 16));
  const deps: RunDeps = { store, clock, owner, leaseMs, backoff, random, onDead, onError };
  const active = new Map<string, ActiveRun>();
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let recheck: NodeJS.Timeout | undefined;
  let cycling: Promise<void> | undefined;
  let again = false;
  // True while every slot is busy: then the loop sleeps until a handler finishes.
  let saturated = false;
  let stopping: Promise<void> | undefined;

  async function drain(graceMs: number): Promise<void> {
    state = 'stopping';
    clearTimeout(timer);
    clearTimeout(recheck);
    await cycling; // a claim in progress finishes, so its jobs are in `active` below
    if (!(await settlesWithin(active, graceMs))) {
      for (const run of active.values()) run.abort('stopping');
      await settlesWithin(active, ABORT_WAIT_MS);
    }
    for (const run of active.values()) run.stopRenewing();
    state = 'stopped';
  }

  /** Leases up to the free slots and starts them; returns how many. */
  async function claimAndStart(): Promise<number> {
    const free = concurrency - active.size;
    if (free <= 0 || types.length === 0) return 0;
    const claim = (of: readonly string[], limit: number, overdueMs = 0) => {
      if (of.length === 0 || limit <= 0) return Promise.resolve([]);
      const now = clock.now();
      const dueBy = overdueMs === 0 ? undefined : new Date(now.getTime() - overdueMs);
      return store.claim({
        types: of,
        owner,
        now,
        leaseMs,
        limit,
        ...(dueBy === undefined ? {} : { dueBy }),
      });
    };
    // Other types wait while urgent ones are due, but not for long: those overdue by STARVE_MS get a reserved share of
    // the free slots first, so a flood of urgent retries (an AWS outage) cannot hold alerts and provisioning back.
    const overdue = await claim(otherTypes, Math.min(free, reserved), STARVE_MS);
    const urgent = await claim(urgentTypes, free - overdue.length);
    const jobs =
      urgent.length === 0
        ? [...overdue, ...(await claim(otherTypes, free - overdue.length))]
        : [...overdue, ...urgent];
    for (const job of jobs) {
      const definition = byType.get(job.type);
      if (definition === undefined) throw new Error(`claimed job ${job.id} of unrequested type ${job.type}`);
      const run = startRun(deps, job, definition);
      active.set(job.id, run);
      void run.done.finally(() => {
        active.delete(job.id);
        // Claim for several freed slots at once rather than one query per finished job.
        if (saturated) arm(REFILL_MS);
      });
    }
    return jobs.length;
  }

  /** Sets the one timer to fire in `delayMs` unless it already fires sooner. */
  function arm(delayMs: number): void {
    if (state !== 'running') return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      kick();
    }, delayMs);
  }

  /** One pass: claim what is due, then sleep until the next due job, at most `pollMs`. */
  async function cycle(): Promise<void> {
    const started = await claimAndStart();
    saturated = active.size >= concurrency;
    if (saturated || state !== 'running') return;
    const next = await store.nextDueAt(types);
    const untilNext = next === undefined ? pollMs : next.getTime() - clock.now().getTime();
    // A due job we could not claim is locked by another runner's claim right now: look again shortly, not in a spin.
    // A job due in the future is claimed at most BATCH_GAP_MS late, so jobs due a millisecond apart (a burst of
    // expiries spread over one second) share claims instead of costing a claim each.
    const delay = untilNext <= 0 ? (started === 0 ? BUSY_RETRY_MS : 0) : Math.max(untilNext, BATCH_GAP_MS);
    arm(Math.min(delay, pollMs));
  }

  /** Runs `cycle` single-flight; a kick during a cycle runs one more. */
  function kick(): void {
    if (state !== 'running') return;
    if (cycling !== undefined) {
      again = true;
      return;
    }
    cycling = (async () => {
      do {
        again = false;
        try {
          await cycle();
        } catch (e) {
          onError(e);
          arm(pollMs); // the database is unreachable or failing: retry at the poll pace, not in a loop
        }
      } while (again && state === 'running');
    })().finally(() => {
      cycling = undefined;
    });
  }

  return {
    owner,
    get inFlight() {
      return active.size;
    },
    start() {
      if (state !== 'idle') throw new Error(`job runner ${owner} cannot start: ${state}`);
      state = 'running';
      kick();
    },
    stop({ graceMs = 30_000 } = {}) {
      if (state === 'idle') state = 'stopped';
      stopping ??= state === 'stopped' ? Promise.resolve() : drain(graceMs);
      return stopping;
    },
    wake(runAt) {
      if (state !== 'running') return;
      const delay = runAt === undefined ? 0 : runAt.getTime() - clock.now().getTime();
      arm(Math.max(0, Math.min(delay, pollMs)));
      if (delay <= 0 && recheck === undefined) {
        recheck = setTimeout(() => {
          recheck = undefined;
          kick();
        }, RECHECK_MS);
      }
    },
    async runDue() {
      let runs = 0;
      for (;;) {
        const started = await claimAndStart();
        if (started === 0 && active.size === 0) return runs;
        runs += started;
        await Promise.all([...active.values()].map((r) => r.done));
      }
    },
  };
}

/** Waits until every run in `active` settled or `ms` passed; true when all settled. */
async function settlesWithin(active: ReadonlyMap<string, ActiveRun>, ms: number): Promise<boolean> {
  if (active.size === 0) return true;
  let timeout: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timeout = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.all([...active.values()].map((r) => r.done)).then(() => true as const);
  try {
    return await Promise.race([all, expired]);
  } finally {
    clearTimeout(timeout);
  }
}
