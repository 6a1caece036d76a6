/** One outgoing JSON POST through the SSRF guard: no redirects followed, a hard timeout, the body discarded. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type AllowList, checkTargetUrl, guardedLookup, type Resolver, systemResolver } from './ssrf.ts';

/** Thrown when the guard refuses a target: retrying cannot help until the configuration changes. */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** Options of `postJson`. */
export interface PostOptions {
  readonly allow: AllowList;
  /** Whole-request timeout in ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly resolve?: Resolver;
}

/**
 * POSTs `body` (JSON text) to `url` with `headers` and resolves with the response status (any status, 3xx
 * included: redirects are never followed). Rejects with `TargetRefusedError` when the SSRF guard refuses the URL or
 * the address the socket would use, and with an Error naming only the host on network failure or timeout (a chat
 * webhook URL is a secret: its path never appears in an error).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  { allow, timeoutMs = 10_000, signal, resolve = systemResolver }: PostOptions,
): Promise<number> {
  const check = await checkTargetUrl(url, allow, resolve);
  if (!check.ok) throw new TargetRefusedError(`target refused: ${check.reason}`);
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeout = AbortSignal.timeout(timeoutMs);
  const abort = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  return new Promise<number>((resolvePromise, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: guardedLookup(allow),
        signal: abort,
        agent: false,
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolvePromise(res.statusCode ?? 0));
        res.on('error', (e) => reject(describe(e, target, timeout, timeoutMs)));
      },
    );
    req.on('error', (e) => reject(describe(e, target, timeout, timeoutMs)));
    req.end(body);
  });
}

function describe(e: Error, target: URL, timeout: AbortSignal, timeoutMs: number): Error {
  if ((e as NodeJS.ErrnoException).code === 'ESSRF') return new TargetRefusedError(`target ${e.message}`);
  if (timeout.aborted) return new Error(`${target.host}: no response within ${timeoutMs / 1000} s`);
  const code = (e as NodeJS.ErrnoException).code;
  return new Error(`${target.host}: ${code ?? e.name}${code === undefined ? `: ${e.message}` : ''}`);
}
