import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin } from './admin.ts';
import type { PolicyEvaluator } from './authorize.ts';
import { AwsApiError } from './errors.ts';
import { FaultController } from './faults.ts';
import { newRequestId } from './ids.ts';
import { createPolicyEngineEvaluator } from './policy-evaluator.ts';
import { dispatch, type RoutedRequest, renderError, routeRequest } from './router.ts';
import { createState } from './seed.ts';
import type { EmulatorState } from './state.ts';

/** Options of `startLocalAws`. */
export interface LocalAwsOptions {
  /** Initial state; default: one account (`111111111111`) with an Identity Center instance. */
  state?: EmulatorState;
  /** Interface to bind; default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Clock; default the system clock. */
  now?: () => Date;
  /** Policy engine for trust policies and session authorisation; default: the project's `simulate()`. */
  evaluator?: PolicyEvaluator;
  /** Milliseconds before Identity Center assignment operations settle; default 0 (the next read sees SUCCEEDED). */
  assignmentDelayMs?: number;
}

/** A running emulator. `state` and `faults` are live: tests may read and change them in-process. */
export interface LocalAws {
  /** `http://127.0.0.1:<port>`, for `endpoint` / `--endpoint-url`. */
  url: string;
  port: number;
  state: EmulatorState;
  faults: FaultController;
  /** Stops listening, releases paused calls and destroys open connections. */
  close(): Promise<void>;
}

/** Starts the emulator's HTTP server. Resolves once it is listening. */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const state = options.state ?? createState();
  const faults = new FaultController();
  const deps: HandlerDeps = {
    state,
    faults,
    now: options.now ?? (() => new Date()),
    evaluator: options.evaluator ?? createPolicyEngineEvaluator(),
    assignmentDelayMs: options.assignmentDelayMs ?? 0,
  };
  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    faults,
    close: async () => {
      faults.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What the request handler needs from the running emulator. */
export interface HandlerDeps {
  state: EmulatorState;
  faults: FaultController;
  now: () => Date;
  evaluator: PolicyEvaluator;
  assignmentDelayMs: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', reject);
  });
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = req.url ?? '/';
  if (url.startsWith('/_local-aws/')) {
    handleAdmin(deps, req.method ?? 'GET', url, body, res);
    return;
  }
  await deps.faults.whenResumed();
  const requestId = newRequestId();
  const routed = routeRequest(req, url, body);
  const fault = deps.faults.take(routed.service, routed.operation, routed.protocol);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.drop) {
    req.socket.destroy();
    return;
  }
  try {
    if (fault.error) throw fault.error;
    const out = await dispatch(deps, routed, req, body, requestId);
    send(res, 200, routed, out, requestId);
  } catch (e) {
    if (!(e instanceof AwsApiError)) throw e;
    send(res, e.status, routed, renderError(routed, e, requestId), requestId);
  }
}

function send(
  res: ServerResponse,
  status: number,
  routed: RoutedRequest,
  body: string,
  requestId: string,
): void {
  // Headers as a flat [name, value, …] list: the same bytes on the wire as an object, without Node's per-header
  // bookkeeping (~10 µs a response).
  res.writeHead(status, [
    'content-type',
    routed.protocol === 'json' ? 'application/x-amz-json-1.1' : 'text/xml',
    'content-length',
    String(Buffer.byteLength(body)),
    'x-amzn-requestid',
    requestId,
  ]);
  res.end(body);
}
