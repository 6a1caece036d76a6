import { AwsApiError } from './errors.ts';

/** Kinds of injectable faults. */
export const FAULT_KINDS = ['throttle', 'fail', 'latency', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault rule as accepted by the admin endpoint (`POST /_local-aws/faults`). */
export interface FaultSpec {
  type: FaultKind;
  /** `CreateRole`, `iam:CreateRole` or `*` (every operation). */
  operation: string;
  /** How many matching calls it applies to; latency defaults to every call, others to 1. */
  count?: number;
  /** For `fail`: error code, message and HTTP status (default 400). */
  code?: string;
  message?: string;
  status?: number;
  /** For `latency`: delay in milliseconds. */
  ms?: number;
}

interface Rule {
  spec: FaultSpec;
  remaining: number;
}

/** What the server must do to one call before running it. */
export interface FaultOutcome {
  latencyMs: number;
  drop: boolean;
  error?: AwsApiError;
}

/**
 * Fault injection state shared by the admin endpoint and in-process callers. Rules are consumed in the order
 * they were added; a call takes at most one throttle/fail/drop rule and sums every matching latency rule.
 */
export class FaultController {
  #rules: Rule[] = [];
  #paused = false;
  #waiters: Array<() => void> = [];

  /** The next `count` calls of `operation` fail with `Throttling` (query) / `ThrottlingException` (JSON). */
  throttle(operation: string, count = 1): void {
    this.add({ type: 'throttle', operation, count });
  }

  /** The next `count` calls of `operation` fail with the given error code, message and status. */
  fail(operation: string, error: { code: string; message?: string; status?: number }, count = 1): void {
    this.add({ type: 'fail', operation, count, ...error });
  }

  /** Delays calls of `operation` by `ms`; `count` limits how many (default: until reset). */
  latency(ms: number, operation = '*', count?: number): void {
    this.add({ type: 'latency', operation, ms, ...(count === undefined ? {} : { count }) });
  }

  /** The next `count` calls of `operation` have their connection destroyed without a response. */
  drop(operation: string, count = 1): void {
    this.add({ type: 'drop', operation, count });
  }

  /** Adds a rule; throws on an unknown type or missing field (the admin endpoint answers 400). */
  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.type)) throw new Error(`unknown fault type: ${String(spec.type)}`);
    if (typeof spec.operation !== 'string' || spec.operation === '') throw new Error('operation is required');
    if (spec.type === 'fail' && !spec.code) throw new Error('fail needs a code');
    if (spec.type === 'latency' && !(typeof spec.ms === 'number' && spec.ms >= 0))
      throw new Error('latency needs ms');
    const remaining = spec.count ?? (spec.type === 'latency' ? Number.POSITIVE_INFINITY : 1);
    this.#rules.push({ spec, remaining });
  }

  /** Holds every new API call (admin calls excepted) until `resume()`. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Calls currently held by `pause()`. */
  get held(): number {
    return this.#waiters.length;
  }

  /** Resolves immediately when not paused, otherwise when resumed. */
  whenResumed(): Promise<void> {
    if (!this.#paused) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Removes every rule and resumes. */
  reset(): void {
    this.#rules = [];
    this.resume();
  }

  /** The rules still active, for the admin endpoint. */
  list(): FaultSpec[] {
    return this.#rules.map((r) => ({ ...r.spec, count: r.remaining }));
  }

  /** Consumes the rules matching this call and says what to do with it. */
  take(service: string, operation: string, protocol: 'query' | 'json'): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0, drop: false };
    let decided = false;
    for (const rule of this.#rules) {
      if (rule.remaining <= 0 || !matches(rule.spec.operation, service, operation)) continue;
      if (rule.spec.type === 'latency') {
        outcome.latencyMs += rule.spec.ms ?? 0;
        rule.remaining--;
        continue;
      }
      if (decided) continue;
      decided = true;
      rule.remaining--;
      if (rule.spec.type === 'drop') outcome.drop = true;
      else if (rule.spec.type === 'throttle') {
        outcome.error = new AwsApiError(
          protocol === 'query' ? 'Throttling' : 'ThrottlingException',
          'Rate exceeded',
        );
      } else {
        outcome.error = new AwsApiError(
          rule.spec.code ?? 'InternalFailure',
          rule.spec.message ?? 'Injected fault',
          rule.spec.status ?? 400,
          (rule.spec.status ?? 400) < 500,
        );
      }
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return outcome;
  }
}

function matches(pattern: string, service: string, operation: string): boolean {
  return pattern === '*' || pattern === operation || pattern === `${service}:${operation}`;
}
