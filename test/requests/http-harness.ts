// Starts the real HTTP app (every route group of API_ROUTES, services from app.ts) for the request suites.
import type { Clock } from '../../src/lib/clock.ts';
import type { Database } from '../../src/store/database.ts';
import { startTestServer, type TestServer } from '../http/harness.ts';

/** A test server over `database` with extra `IAM_JIT_*` env (the request knobs) and an optional clock. */
export function startRequestServer(
  database: Database,
  { env = {}, clock }: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestServer> {
  return startTestServer(database, { env, ...(clock ? { clock } : {}) });
}
