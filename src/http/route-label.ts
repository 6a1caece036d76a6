import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** The route label of a request that matched no route (a 404): one value, whatever the path was. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route that matched the request (`/api/v1/requests/:id`), for metric labels and logs: the set
 * of values is bounded by the routes we register, and ids, e-mails or tokens in the path never appear. Wildcard
 * middleware (`*`, `/api/v1/*`) does not count as a match, so a path no route answers is `unmatched` — also when
 * a middleware (auth, body limit) answered before the handler ran, the label is still the handler's pattern.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route !== undefined && !(route.method === 'ALL' && route.path.endsWith('*'))) return route.path;
  }
  return UNMATCHED_ROUTE;
}
