import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './faults.ts';
import { exportState } from './seed.ts';
import type { HandlerDeps } from './server.ts';

/**
 * The unauthenticated admin endpoint under `/_local-aws/` (the emulator binds loopback by default):
 * - `GET  /_local-aws/health` → `{"ok":true}`
 * - `GET  /_local-aws/state` → the state as a seed document
 * - `GET  /_local-aws/faults` → active fault rules; `POST` adds one (`FaultSpec` JSON); `DELETE` clears all
 * - `POST /_local-aws/pause` / `POST /_local-aws/resume` → hold / release API calls
 */
export function handleAdmin(
  deps: HandlerDeps,
  method: string,
  url: string,
  body: string,
  res: ServerResponse,
): void {
  const [status, value] = adminRoute(deps, `${method} ${url.split('?')[0]}`, body);
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function adminRoute(deps: HandlerDeps, route: string, body: string): [number, unknown] {
  switch (route) {
    case 'GET /_local-aws/health':
      return [200, { ok: true, paused: deps.faults.paused, held: deps.faults.held }];
    case 'GET /_local-aws/state':
      return [200, exportState(deps.state)];
    case 'GET /_local-aws/faults':
      return [200, { faults: deps.faults.list(), paused: deps.faults.paused }];
    case 'DELETE /_local-aws/faults':
      deps.faults.reset();
      return [200, { ok: true }];
    case 'POST /_local-aws/pause':
      deps.faults.pause();
      return [200, { ok: true, paused: true }];
    case 'POST /_local-aws/resume':
      deps.faults.resume();
      return [200, { ok: true, paused: false }];
    case 'POST /_local-aws/faults':
      try {
        deps.faults.add(JSON.parse(body) as FaultSpec);
      } catch (e) {
        return [400, { error: e instanceof Error ? e.message : String(e) }];
      }
      return [200, { ok: true, faults: deps.faults.list() }];
    default:
      return [404, { error: `no admin route ${route}` }];
  }
}
