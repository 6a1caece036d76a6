import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IssuedSession } from '../../identity/login-service.ts';
import { MINUTE } from '../../lib/clock.ts';
import { loginLinkMail } from '../../mail/login-mail.ts';
import { clientIp, isSecureBaseUrl } from '../client-ip.ts';
import type { ApiApp, RouteDeps } from '../context.ts';
import { HttpError } from '../errors.ts';
import { SESSION_COOKIE } from '../middleware/auth.ts';
import { COMMON_ERRORS, errorContent, jsonBody, jsonContent, UserSchema, userJson } from '../schemas.ts';

/** Rate-limit window of login-link requests (per email and per IP): 15 minutes. */
export const LOGIN_WINDOW_MS = 15 * MINUTE;

/** The answer to every well-formed login request, known address or not. */
export const LOGIN_ACCEPTED_MESSAGE =
  'If this address belongs to an iam-jit user, a sign-in link is on its way.';

const LoginBody = z
  .object({ email: z.string().min(3).max(254).openapi({ example: 'alice@example.com' }) })
  .openapi('LoginRequest');
const LoginAccepted = z
  .object({
    message: z.string(),
    dev_login_url: z.string().optional().openapi({ description: 'Dev mode only: the link itself.' }),
  })
  .openapi('LoginAccepted');
const CallbackBody = z.object({ token: z.string().min(1).max(200) }).openapi('LoginCallbackRequest');
const SessionResponse = z
  .object({ user: UserSchema, expires_at: z.string().openapi({ format: 'date-time' }) })
  .openapi('Session');
const MeResponse = UserSchema.extend({
  auth_method: z.enum(['api_token', 'session', 'aws_iam']),
}).openapi('Me');

/** The sign-in URL mailed to a user: the confirmation page, never a GET that signs in. */
export function loginUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/login/callback?token=${encodeURIComponent(token)}`;
}

/** Sets the 24-hour HttpOnly, SameSite=Lax session cookie (Secure when the base URL is https). */
export function setSessionCookie(
  c: Context,
  session: IssuedSession,
  { baseUrl, now }: { baseUrl: string; now: Date },
): void {
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecureBaseUrl(baseUrl),
    path: '/',
    expires: session.expiresAt,
    maxAge: Math.max(0, Math.round((session.expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

/** Counts a sign-in request against the per-IP and per-email limits; throws 429 `RateLimited` (Retry-After). */
export async function checkLoginRateLimits(
  c: Context,
  { services, config }: RouteDeps,
  email: string,
): Promise<void> {
  const now = services.clock.now();
  const ip = clientIp(c, { trustProxy: config.server.trustProxy });
  const byIp = await services.rateLimiter.hit(`login:ip:${ip}`, {
    limit: config.auth.loginLimitPerIp,
    windowMs: LOGIN_WINDOW_MS,
    now,
  });
  const byEmail = await services.rateLimiter.hit(`login:email:${email}`, {
    limit: config.auth.loginLimitPerEmail,
    windowMs: LOGIN_WINDOW_MS,
    now,
  });
  const refused = [byIp, byEmail].filter((d) => !d.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(...refused.map((d) => d.retryAfterSeconds));
    throw new HttpError('RateLimited', 'too many sign-in requests; try again later', {
      details: { retry_after_seconds: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

/**
 * Counts one use of a sign-in link against the per-IP limit (`IAM_JIT_LOGIN_LIMIT_PER_IP`, 15 minutes): every
 * failed use writes an audit row from an unauthenticated caller, so guessing must not flood the chain. Throws 429
 * `RateLimited` (Retry-After) before the link is looked at.
 */
export async function checkCallbackRateLimit(c: Context, { services, config }: RouteDeps): Promise<void> {
  const ip = clientIp(c, { trustProxy: config.server.trustProxy });
  const decision = await services.rateLimiter.hit(`callback:ip:${ip}`, {
    limit: config.auth.loginLimitPerIp,
    windowMs: LOGIN_WINDOW_MS,
    now: services.clock.now(),
  });
  if (!decision.allowed)
    throw new HttpError('RateLimited', 'too many sign-in attempts; try again later', {
      details: { retry_after_seconds: decision.retryAfterSeconds },
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    });
}

/** `POST /api/v1/auth/login`, `POST /api/v1/auth/callback`, `POST /api/v1/auth/logout`, `GET /api/v1/users/me`. */
export function registerAuthRoutes(app: ApiApp, deps: RouteDeps): void {
  const { services, config } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['auth'],
      summary: 'Request a sign-in link by email',
      description:
        'Mails a single-use link (15 minutes) to an enabled user with this address. The answer is the same for unknown addresses. Rate-limited per email and per client IP.',
      security: [],
      request: { body: jsonBody(LoginBody) },
      responses: {
        202: jsonContent(LoginAccepted, 'Accepted (whether or not the address is known)'),
        400: COMMON_ERRORS[400],
        429: errorContent('Too many requests for this email or IP (Retry-After)'),
      },
    }),
    async (c) => {
      const email = c.req.valid('json').email.trim().toLowerCase();
      await checkLoginRateLimits(c, deps, email);
      const link = await services.login.requestLink(email, {
        ip: clientIp(c, { trustProxy: config.server.trustProxy }),
      });
      const body: z.infer<typeof LoginAccepted> = { message: LOGIN_ACCEPTED_MESSAGE };
      if (link !== undefined) {
        const url = loginUrl(config.server.baseUrl, link.token);
        // Not awaited: the answer must not take longer for known addresses than for unknown ones.
        services.mailer
          .send(loginLinkMail({ to: link.email, link: url, expiresAt: link.expiresAt }))
          .catch((e: unknown) => services.log.error({ err: e, user_id: link.userId }, 'sign-in mail failed'));
        if (config.devMode) {
          body.dev_login_url = url;
          services.log.info({ user_id: link.userId, url }, `dev mode sign-in link for ${link.email}: ${url}`);
        }
      }
      return c.json(body, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/callback',
      tags: ['auth'],
      summary: 'Use a sign-in link token (API clients)',
      description: 'Consumes the link and sets the 24-hour session cookie. Links work once.',
      security: [],
      request: { body: jsonBody(CallbackBody) },
      responses: {
        200: jsonContent(SessionResponse, 'Signed in; Set-Cookie carries the session'),
        400: COMMON_ERRORS[400],
        401: errorContent('The link is unknown, expired or already used'),
        429: errorContent('Too many sign-in attempts from this IP (Retry-After)'),
      },
    }),
    async (c) => {
      await checkCallbackRateLimit(c, deps);
      const session = await services.login.consumeLink(c.req.valid('json').token, {
        ip: clientIp(c, { trustProxy: config.server.trustProxy }),
      });
      if (session === undefined)
        throw new HttpError('Unauthenticated', 'not authenticated', {
          details: { reason: 'the sign-in link is invalid, expired or already used' },
        });
      setSessionCookie(c, session, { baseUrl: config.server.baseUrl, now: services.clock.now() });
      return c.json({ user: userJson(session.user), expires_at: session.expiresAt.toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['auth'],
      summary: 'End the current session',
      description:
        'Deletes the session server-side and clears the cookie. With a bearer token there is no session to end.',
      responses: { 204: { description: 'Logged out' }, ...COMMON_ERRORS },
    }),
    async (c) => {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (c.get('principal').method === 'session' && cookie !== undefined)
        await services.login.logout(cookie);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecureBaseUrl(config.server.baseUrl) });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/me',
      tags: ['users'],
      summary: 'The calling user',
      responses: {
        200: jsonContent(MeResponse, 'The caller'),
        401: COMMON_ERRORS[401],
        403: COMMON_ERRORS[403],
      },
    }),
    (c) => {
      const principal = c.get('principal');
      return c.json({ ...userJson(principal.user), auth_method: principal.method }, 200);
    },
  );
}
