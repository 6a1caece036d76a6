/**
 * Sign-in by magic link (`/login`, `/login/callback`) and sign-out (`/logout`). The link opens a confirmation page:
 * a GET never consumes it (mail scanners prefetch links); its CSRF-checked POST does and sets the session cookie.
 */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { clientIp, isSecureBaseUrl } from '../../http/client-ip.ts';
import { SESSION_COOKIE } from '../../http/middleware/auth.ts';
import {
  checkCallbackRateLimit,
  checkLoginRateLimits,
  LOGIN_ACCEPTED_MESSAGE,
  loginUrl,
  setSessionCookie,
} from '../../http/routes/auth-routes.ts';
import { normalizeEmail } from '../../identity/user.ts';
import { MINUTE } from '../../lib/clock.ts';
import { loginLinkMail } from '../../mail/login-mail.ts';
import { userLabel } from '../components.tsx';
import type { WebApp, WebDeps } from '../context.ts';
import { CsrfField } from '../layout.tsx';
import {
  failureOf,
  readForm,
  redirectWithFlash,
  renderMessage,
  renderPage,
  requireUser,
  safeNext,
  type WebContext,
} from '../page.tsx';

/** Cookie remembering where to go after sign-in (set by the login form, read by the callback). */
export const NEXT_COOKIE = 'iam_jit_next';

function LoginForm({
  csrf,
  next,
  email,
  error,
}: {
  csrf: string;
  next: string;
  email: string;
  error?: string;
}) {
  return (
    <section class="panel narrow">
      <h1>Sign in to iam-jit</h1>
      <p>Enter your work email address. We will send you a sign-in link that works once, for 15 minutes.</p>
      <form method="post" action="/login" class="stack">
        <CsrfField token={csrf} />
        <input type="hidden" name="next" value={next} />
        <div>
          <label for="email">Email address</label>
          {error !== undefined && (
            <p class="field-error" id="email-error">
              {error}
            </p>
          )}
          <input
            type="email"
            id="email"
            name="email"
            value={email}
            autocomplete="email"
            required
            aria-describedby={error !== undefined ? 'email-error' : undefined}
          />
        </div>
        <button type="submit">Send sign-in link</button>
      </form>
    </section>
  );
}

function loginPage(
  c: WebContext,
  { email = '', error, status = 200 }: { email?: string; error?: string; status?: 200 | 400 | 429 },
) {
  const next = safeNext(c.req.query('next') ?? undefined);
  return renderPage(c, {
    title: 'Sign in',
    status,
    body: <LoginForm csrf={c.get('csrfToken')} next={next} email={email} error={error} />,
  });
}

/** `GET/POST /login`, `GET/POST /login/callback`, `POST /logout`. */
export function registerLoginPages(app: WebApp, deps: WebDeps): void {
  const { services, config } = deps;
  const secure = isSecureBaseUrl(config.server.baseUrl);

  app.get('/login', async (c) => {
    if (c.get('principal') !== undefined) return c.redirect(safeNext(c.req.query('next')), 303);
    return loginPage(c, {});
  });

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const email = normalizeEmail(form.text('email'));
    if (!email.ok)
      return loginPage(c, { email: form.text('email'), error: 'Enter a valid email address.', status: 400 });
    try {
      await checkLoginRateLimits(c, deps, email.value);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return loginPage(c, { email: email.value, error: failure.message, status: 429 });
    }
    const link = await services.login.requestLink(email.value, {
      ip: clientIp(c, { trustProxy: config.server.trustProxy }),
    });
    let devLink: string | undefined;
    if (link !== undefined) {
      const url = loginUrl(config.server.baseUrl, link.token);
      // Not awaited: the answer must not take longer for known addresses than for unknown ones.
      services.mailer
        .send(loginLinkMail({ to: link.email, link: url, expiresAt: link.expiresAt }))
        .catch((e: unknown) => services.log.error({ err: e, user_id: link.userId }, 'sign-in mail failed'));
      if (config.devMode) devLink = url;
    }
    setCookie(c, NEXT_COOKIE, safeNext(form.text('next')), {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/login',
      maxAge: (15 * MINUTE) / 1000,
    });
    return renderMessage(c, {
      title: 'Check your email',
      status: 200,
      message: (
        <>
          <p role="status">{LOGIN_ACCEPTED_MESSAGE}</p>
          <p class="muted">The link works once and expires in 15 minutes. You can close this tab.</p>
          {devLink !== undefined && (
            <p class="flash flash-info">
              Dev mode: <a href={devLink}>open the sign-in link</a> (shown here only because the server runs
              in dev mode).
            </p>
          )}
        </>
      ),
    });
  });

  app.get('/login/callback', (c) => {
    const token = c.req.query('token') ?? '';
    if (token === '')
      return renderMessage(c, {
        title: 'Sign-in link incomplete',
        message: 'The link has no token. Open the link from your email again.',
        status: 400,
      });
    return renderPage(c, {
      title: 'Sign in',
      body: (
        <section class="panel narrow">
          <h1>Sign in to iam-jit</h1>
          <p>Press the button to finish signing in. The link works once.</p>
          <form method="post" action="/login/callback">
            <CsrfField token={c.get('csrfToken')} />
            <input type="hidden" name="token" value={token} />
            <button type="submit">Sign in</button>
          </form>
        </section>
      ),
    });
  });

  app.post('/login/callback', async (c) => {
    const form = await readForm(c);
    try {
      await checkCallbackRateLimit(c, deps);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return renderMessage(c, { title: 'Too many sign-in attempts', message: failure.message, status: 429 });
    }
    const session = await services.login.consumeLink(form.text('token'), {
      ip: clientIp(c, { trustProxy: config.server.trustProxy }),
    });
    if (session === undefined)
      return renderMessage(c, {
        title: 'Sign-in link not valid',
        message: (
          <p>
            This sign-in link is invalid, expired (links last 15 minutes) or already used.{' '}
            <a href="/login">Ask for a new one</a>.
          </p>
        ),
        status: 400,
      });
    setSessionCookie(c, session, { baseUrl: config.server.baseUrl, now: services.clock.now() });
    const next = safeNext(getCookie(c, NEXT_COOKIE));
    deleteCookie(c, NEXT_COOKIE, { path: '/login', secure });
    return redirectWithFlash(c, next, {
      kind: 'success',
      text: `Signed in as ${userLabel(session.user.id)}.`,
    });
  });

  app.post('/logout', requireUser(), async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie !== undefined) await services.login.logout(cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
    return redirectWithFlash(c, '/login', { kind: 'info', text: 'You are signed out.' });
  });
}
