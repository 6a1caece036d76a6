import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config/load-config.ts';
import { createAppMetrics } from '../metrics/app-metrics.ts';
import { isApiPath } from '../web/security.ts';
import { mountWebUi } from '../web/web-app.ts';
import { type ApiApp, type ApiEnv, type HttpServices, type RegisterRoutes, silentLog } from './context.ts';
import { errorResponse, HttpError, responseForError } from './errors.ts';
import { httpMetrics } from './metrics.ts';
import { authenticate } from './middleware/auth.ts';
import { limitBody, MAX_BODY_BYTES, parseJsonBody } from './middleware/body.ts';
import { idempotency } from './middleware/idempotency.ts';
import { requestLog } from './middleware/request-log.ts';
import { registerDocsRoutes } from './routes/docs-routes.ts';
import { API_ROUTES } from './routes/index.ts';
import { registerSystemRoutes } from './routes/system-routes.ts';

/** `/api/v1` paths reachable without credentials. */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/callback',
  '/api/v1/openapi.json',
  '/api/v1/docs',
]);

/** Options for `createHttpApp` (tests swap the route list or the body limit). */
export interface HttpAppOptions {
  routes?: readonly RegisterRoutes[];
  maxBodyBytes?: number;
}

/** Turns failed zod validation into 400 `InvalidRequest` naming the field (e.g. `email: expected string`). */
function validationHook(
  result: { target: string } & (
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }
  ),
): void {
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({
    field:
      i.path.length > 0 ? i.path.map(String).join('.') : result.target === 'json' ? '(body)' : result.target,
    in: result.target === 'json' ? 'body' : result.target,
    message: i.message,
  }));
  const first = issues[0];
  throw new HttpError('InvalidRequest', first ? `${first.field}: ${first.message}` : 'invalid request', {
    details: { issues },
  });
}

/**
 * Builds the HTTP app over the service layer: JSON errors through `errors.ts`, 1 MiB body limit, strict JSON with
 * positions, auth on `/api/v1` (except login and the docs), Idempotency-Key on POSTs, `/healthz`, `/readyz`,
 * `/metrics`, OpenAPI 3.1 at `/api/v1/openapi.json` and its docs at `/api/v1/docs`, and the web UI (src/web/) at `/`.
 */
export function createHttpApp(
  services: HttpServices,
  config: Config,
  { routes = API_ROUTES, maxBodyBytes = MAX_BODY_BYTES }: HttpAppOptions = {},
): ApiApp {
  const app: ApiApp = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const metrics = services.metrics ?? createAppMetrics();
  const deps = { services, config };

  app.onError((e, c) => {
    if (e instanceof HTTPException && !(e instanceof HttpError)) {
      const code =
        e.status === 415 ? 'UnsupportedMediaType' : e.status === 413 ? 'PayloadTooLarge' : 'InvalidRequest';
      return errorResponse(c, code, e.message || 'bad request');
    }
    const { response, unexpected } = responseForError(c, e);
    if (unexpected) services.log.error({ err: e, path: c.req.path }, 'unhandled error');
    return response;
  });
  app.notFound((c) => errorResponse(c, 'RouteNotFound', `no route for ${c.req.method} ${c.req.path}`));

  // `?? silentLog`: the OpenAPI document test builds the app over no services at all.
  app.use('*', requestLog(services.log ?? silentLog));
  app.use('*', httpMetrics(metrics));
  // No API answer may be framed and none runs scripts; web UI pages get their own headers (src/web/security.ts).
  const apiHeaders = secureHeaders({
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  });
  app.use('*', (c, next) => (isApiPath(c.req.path) ? apiHeaders(c, next) : next()));
  app.use('*', limitBody(maxBodyBytes));
  app.use('*', parseJsonBody());
  const auth = authenticate(services, { baseUrl: config.server.baseUrl });
  const idem = idempotency(services);
  app.use('/api/v1/*', (c, next) => (PUBLIC_API_PATHS.has(c.req.path) ? next() : auth(c, next)));
  app.use('/api/v1/*', (c, next) => (PUBLIC_API_PATHS.has(c.req.path) ? next() : idem(c, next)));

  registerSystemRoutes(app, deps, metrics);
  for (const register of routes) register(app, deps);
  registerDocsRoutes(app, deps);
  mountWebUi(app, deps);
  return app;
}
