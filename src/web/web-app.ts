/**
 * The web UI (DESIGN.md §2 `web/`): server-rendered Hono JSX pages over the same services as the API, mounted at `/`
 * of the HTTP app after every API route. Every page answer carries the web security headers; pages authenticate
 * by the session cookie only; every unsafe request must pass the CSRF checks (`security.ts`).
 */
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isSecureBaseUrl } from '../http/client-ip.ts';
import type { ApiApp } from '../http/context.ts';
import { SESSION_COOKIE } from '../http/middleware/auth.ts';
import type { Principal } from '../identity/authenticate.ts';
import { randomBase64Url } from '../lib/crypto.ts';
import type { Flash, RegisterPages, WebApp, WebDeps, WebEnv } from './context.ts';
import { renderCsrfRefusal, renderError, renderNotFound } from './error-pages.tsx';
import { putFlash, takeFlash } from './flash.ts';
import { readForm } from './page.tsx';
import { WEB_PAGES } from './pages/index.ts';
import {
  anonymousCsrfCookie,
  CSRF_FIELD,
  CSRF_HEADER,
  checkCsrf,
  csrfTokenFor,
  isApiPath,
  LOGIN_CSRF_COOKIE,
  WEB_SECURITY_HEADERS,
} from './security.ts';
import { registerStaticRoutes } from './static-routes.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One year; sent only when the deployment's base URL is https (browsers ignore it over http anyway). */
const HSTS = 'max-age=31536000';

function withSecurityHeaders(res: Response, secure: boolean): Response {
  for (const [name, value] of Object.entries(WEB_SECURITY_HEADERS)) res.headers.set(name, value);
  if (secure) res.headers.set('Strict-Transport-Security', HSTS);
  return res;
}

/** The signed-in user of a session cookie (bearer tokens never authenticate pages); undefined when anonymous. */
async function sessionPrincipal(c: Context<WebEnv>, deps: WebDeps): Promise<Principal | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token === undefined || token === '') return undefined;
  const result = await deps.services.authenticator.authenticate({ sessionToken: token });
  return result.ok && result.value.method === 'session' ? result.value : undefined;
}

/**
 * Builds the web app: security headers, session, CSRF token (per session; per anonymous `/login` cookie before
 * sign-in), the CSRF check on unsafe methods (403 page), flash messages, the static files, every entry of `pages`,
 * an HTML page for service errors and a 404 page. Requests to API paths (`isApiPath`) pass through untouched.
 */
export function createWebApp(deps: WebDeps, pages: readonly RegisterPages[] = WEB_PAGES): WebApp {
  const { config, services } = deps;
  const secure = isSecureBaseUrl(config.server.baseUrl);
  const keys = { secretKey: config.secretKey, secure };
  const web: WebApp = new Hono<WebEnv>();

  web.onError(async (e, c) => {
    const { response, unexpected } = renderError(c, e);
    if (unexpected) services.log.error({ err: e, path: c.req.path }, 'unhandled error in a web page');
    return withSecurityHeaders(await response, secure);
  });

  /** Sets principal, CSRF token and flash; answers the CSRF refusal itself, or undefined to go on. */
  async function prepare(c: Context<WebEnv>): Promise<Response | undefined> {
    const principal = await sessionPrincipal(c, deps);
    c.set('principal', principal);
    let binding: string | undefined;
    if (principal?.credentialId !== undefined) binding = `session:${principal.credentialId}`;
    else {
      let anon = anonymousCsrfCookie(c);
      if (anon === undefined && c.req.method === 'GET' && c.req.path.startsWith('/login')) {
        anon = randomBase64Url(32);
        setCookie(c, LOGIN_CSRF_COOKIE, anon, { httpOnly: true, sameSite: 'Strict', secure, path: '/login' });
      }
      if (anon !== undefined) binding = `anon:${anon}`;
    }
    const expected = binding === undefined ? '' : csrfTokenFor(config.secretKey, binding);
    c.set('csrfToken', expected);
    if (UNSAFE_METHODS.has(c.req.method)) {
      const submitted = c.req.header(CSRF_HEADER) ?? (await readForm(c)).raw(CSRF_FIELD);
      const refusal =
        expected === ''
          ? 'missing or wrong CSRF token'
          : checkCsrf(c, { expected, submitted, baseUrl: config.server.baseUrl });
      if (refusal !== undefined) return renderCsrfRefusal(c, refusal);
    }
    c.set('flash', takeFlash(c, keys));
    return undefined;
  }

  web.use('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    // Defaults first, so even a failing `prepare` renders its error page.
    c.set('principal', undefined);
    c.set('csrfToken', '');
    c.set('flash', []);
    c.set('queueFlash', (messages: readonly Flash[]) => putFlash(c, messages, keys));
    const refused = await prepare(c);
    if (refused !== undefined) return withSecurityHeaders(refused, secure);
    await next();
    withSecurityHeaders(c.res, secure);
  });

  registerStaticRoutes(web);
  for (const register of pages) register(web, deps);
  web.all('*', (c) => (isApiPath(c.req.path) ? c.notFound() : renderNotFound(c)));
  return web;
}

/** Mounts the web UI on the HTTP app at `/`; call after every API route (its 404 page catches the rest). */
export function mountWebUi(app: ApiApp, deps: WebDeps): void {
  app.route('/', createWebApp(deps) as unknown as Hono);
}
