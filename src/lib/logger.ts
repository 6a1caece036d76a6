import pino from 'pino';
import { currentLogContext } from './log-context.ts';
import { redactSecrets } from './redact.ts';

/** pino levels, lowest last, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * A pino logger writing one JSON object per line to `destination`: `level`, `time`, `msg`, the log context of the
 * current unit of work (`request_id` during an HTTP request, see `runWithLogContext`) and the call's fields. Every
 * argument passes through `redactSecrets` before it is written, so secret-named fields, bearer/API tokens,
 * session cookies and token query parameters (magic links) never reach the log.
 */
export function createLogger(level: LogLevel, destination: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level,
      base: undefined,
      mixin: () => redactSecrets(currentLogContext()) as object,
      hooks: {
        logMethod(args, method) {
          return method.apply(this, args.map(redactSecrets) as Parameters<pino.LogFn>);
        },
      },
    },
    destination,
  );
}
