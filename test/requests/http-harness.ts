// Starts the real HTTP app with the account, request and policy routes mounted (until app.ts composes them),
// over the suite's database, with the real services and the config's request knobs.
import { createAccountService } from '../../src/accounts/account-service.ts';
import type { Config } from '../../src/config/load-config.ts';
import type { ApiApp, RouteDeps } from '../../src/http/context.ts';
import { registerAccountRoutes } from '../../src/http/routes/accounts-routes.ts';
import { API_ROUTES } from '../../src/http/routes/index.ts';
import { registerPolicyRoutes } from '../../src/http/routes/policy-routes.ts';
import { registerRequestRoutes } from '../../src/http/routes/requests-routes.ts';
import { type Clock, systemClock } from '../../src/lib/clock.ts';
import { createRequestService, type RequestService } from '../../src/requests/request-service.ts';
import type { Database } from '../../src/store/database.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
import { startTestServer, type TestServer } from '../http/harness.ts';

/** The account and request services over `database`, configured from `config` (what app.ts should build). */
export function createRequestServices(config: Config, database: Database, clock: Clock = systemClock) {
  const store = createRequestStore(database);
  const accounts = createAccountService({ accounts: store.accounts, transaction: store.transaction, clock });
  const requests: RequestService = createRequestService({
    repos: store,
    transaction: store.transaction,
    clock,
    settings: config.requests,
    risk: {
      extraSensitiveServices: config.risk.extraSensitiveServices,
      extraHighImpactActions: config.risk.extraHighImpactActions,
    },
  });
  return { accounts, requests };
}

/** Registers the routes of this issue on `app`, building their services from the app's config. */
export function requestRoutesOver(database: Database, clock?: Clock) {
  return (app: ApiApp, deps: RouteDeps): void => {
    const services = createRequestServices(deps.config, database, clock);
    registerAccountRoutes(app, { services });
    registerPolicyRoutes(app, {
      risk: {
        extraSensitiveServices: deps.config.risk.extraSensitiveServices,
        extraHighImpactActions: deps.config.risk.extraHighImpactActions,
      },
    });
    registerRequestRoutes(app, { services });
  };
}

/** A test server with every route of the app plus this issue's. */
export function startRequestServer(
  database: Database,
  { env = {}, clock }: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestServer> {
  return startTestServer(database, {
    env,
    ...(clock ? { clock } : {}),
    app: { routes: [...API_ROUTES, requestRoutesOver(database, clock)] },
  });
}
