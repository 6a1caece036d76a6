import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields added to every log line written while a unit of work runs (e.g. `{ request_id }` for one HTTP request). */
export type LogContext = Readonly<Record<string, string>>;

// One store per process is what async context means: each request gets its own value through `run`, so apps built
// side by side (tests) never see each other's fields.
const storage = new AsyncLocalStorage<LogContext>();
const EMPTY: LogContext = Object.freeze({});

/** Runs `fn` with `fields` added to the log context (inner fields win); returns what `fn` returns. */
export function runWithLogContext<T>(fields: LogContext, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer === undefined ? fields : { ...outer, ...fields }, fn);
}

/** The fields of the current unit of work (`{}` outside any). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? EMPTY;
}
