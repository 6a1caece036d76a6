import { getCookie, setCookie } from 'hono/cookie';
import { MINUTE } from '../../lib/clock.ts';
import { constantTimeEqual, randomBase64Url } from '../../lib/crypto.ts';
import { clientIp, isSecureBaseUrl } from '../client-ip.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { escapeHtml, htmlPage } from '../html.ts';
import { setSessionCookie } from './auth-routes.ts';

/** Cookie holding the login form's CSRF token (double-submit: the form must echo it). */
export const LOGIN_CSRF_COOKIE = 'iam_jit_login_csrf';

function page(title: string, message: string, status: 200 | 400 | 403 = 200) {
  return {
    html: htmlPage(title, `<h1>${escapeHtml(title)}</h1>${message}`),
    status,
  };
}

/**
 * `GET /login/callback?token=` shows a one-button page (a GET never consumes the link, so mail scanners that
 * prefetch it do not burn it); its POST — carrying the double-submit CSRF token and, when the browser sends one,
 * a matching Origin — consumes the link and sets the session cookie.
 */
export function registerLoginPageRoutes(app: ApiApp, { services, config }: RouteDeps): void {
  const secure = isSecureBaseUrl(config.server.baseUrl);

  app.get('/login/callback', (c) => {
    const token = c.req.query('token') ?? '';
    if (token === '') {
      const p = page(
        'Sign-in link incomplete',
        '<p>The link has no token. Open the link from your email again.</p>',
        400,
      );
      return c.html(p.html, p.status);
    }
    const csrf = randomBase64Url(32);
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, {
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      path: '/login',
      maxAge: (15 * MINUTE) / 1000,
    });
    c.header('Cache-Control', 'no-store');
    return c.html(
      htmlPage(
        'Sign in to iam-jit',
        `<h1>Sign in to iam-jit</h1><p>Press the button to finish signing in. The link works once.</p>
<form method="post" action="/login/callback"><input type="hidden" name="token" value="${escapeHtml(token)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign in</button></form>`,
      ),
    );
  });

  app.post('/login/callback', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const csrf = typeof form.csrf === 'string' ? form.csrf : '';
    const cookie = getCookie(c, LOGIN_CSRF_COOKIE) ?? '';
    const origin = c.req.header('origin');
    const origins = [new URL(config.server.baseUrl).origin, new URL(c.req.url).origin];
    if (
      cookie === '' ||
      !constantTimeEqual(cookie, csrf) ||
      (origin !== undefined && !origins.includes(origin))
    ) {
      const p = page(
        'Sign-in refused',
        '<p>This form did not come from this page (missing or wrong CSRF token). Open the link from your email again.</p>',
        403,
      );
      return c.html(p.html, p.status);
    }
    setCookie(c, LOGIN_CSRF_COOKIE, '', { path: '/login', maxAge: 0, secure });
    const session = await services.login.consumeLink(token, {
      ip: clientIp(c, { trustProxy: config.server.trustProxy }),
    });
    if (session === undefined) {
      const p = page(
        'Sign-in link not valid',
        '<p>This sign-in link is invalid, expired (links last 15 minutes) or already used. Ask for a new one.</p>',
        400,
      );
      return c.html(p.html, p.status);
    }
    setSessionCookie(c, session, { baseUrl: config.server.baseUrl, now: services.clock.now() });
    return c.html(
      htmlPage(
        'Signed in',
        `<h1>Signed in</h1><p>You are signed in as <strong>${escapeHtml(session.user.displayName)}</strong> (${escapeHtml(session.user.id)}) until ${escapeHtml(session.expiresAt.toISOString())}.</p><p><a href="/api/v1/docs">API documentation</a></p>`,
      ),
    );
  });
}
