/** What page handlers use: render in the layout, guard by sign-in and role, read forms, redirect with a flash. */
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import { HttpError, statusForCode } from '../http/errors.ts';
import type { Principal } from '../identity/authenticate.ts';
import { hasRole, type Role } from '../identity/user.ts';
import { BrokerError } from '../lib/errors.ts';
import type { Actor } from '../requests/request-rules.ts';
import type { Flash, WebEnv } from './context.ts';
import { Layout } from './layout.tsx';

/** A page handler's context. */
export type WebContext = Context<WebEnv>;

/** HTTP statuses pages answer with. */
export type PageStatus = 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500;

/**
 * Answers with a complete HTML document (`<!DOCTYPE html>` + the layout around `body`), `Cache-Control: no-store`
 * (pages show per-user data).
 */
export async function renderPage(
  c: WebContext,
  { title, body, status = 200 }: { title: string; body: Child; status?: PageStatus },
): Promise<Response> {
  const node = (
    <Layout
      title={title}
      path={c.req.path}
      principal={c.get('principal')}
      csrfToken={c.get('csrfToken')}
      flash={c.get('flash')}
    >
      {body}
    </Layout>
  );
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await node.toString()}`, status);
}

/** A page with a heading and a message (errors, refusals). */
export function renderMessage(
  c: WebContext,
  { title, message, status }: { title: string; message: Child; status: PageStatus },
): Promise<Response> {
  return renderPage(c, {
    title,
    status,
    body: (
      <section class="panel narrow">
        <h1>{title}</h1>
        {typeof message === 'string' ? <p>{message}</p> : message}
      </section>
    ),
  });
}

/** True when `text` holds a control character, a space, DEL or a backslash. */
function hasUnsafeChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

/**
 * A local path to return to after sign-in: `/` unless `next` is a same-site absolute path (`/x`, not `//x`).
 * Control characters, spaces and backslashes anywhere are refused: browsers drop tabs and newlines from a
 * `Location` and read `\\` as `/`, so `/<TAB>/evil.example` would otherwise leave the site.
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || next.length > 1000 || !next.startsWith('/') || hasUnsafeChar(next)) return '/';
  const base = 'http://iam-jit.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  return url.origin === base && !next.startsWith('//') ? `${url.pathname}${url.search}${url.hash}` : '/';
}

/**
 * Guards a page: anonymous visitors are redirected (303) to `/login?next=<this path>`; signed-in users without
 * `role` (admins hold every role) get a 403 page saying which role is required.
 */
export function requireUser(role?: Role): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal === undefined) {
      const url = new URL(c.req.url);
      const back = c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/';
      return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
    }
    if (role !== undefined && !hasRole(principal.user, role))
      return renderMessage(c, {
        title: 'Not allowed',
        message: `${role} role required`,
        status: 403,
      });
    await next();
  };
}

/** The signed-in principal; only call behind `requireUser` (a missing principal there is a bug). */
export function currentUser(c: WebContext): Principal {
  const principal = c.get('principal');
  if (principal === undefined) throw new Error('page handler reached without requireUser()');
  return principal;
}

/** The signed-in user as the services' `Actor`. */
export function actorOf(c: WebContext): Actor {
  const { user } = currentUser(c);
  return { id: user.id, roles: user.roles };
}

/** Redirects (303, so the browser GETs) to `location` with messages for the next page. */
export function redirectWithFlash(c: WebContext, location: string, ...flash: Flash[]): Response {
  c.get('queueFlash')(flash);
  return c.redirect(location, 303);
}

/** A submitted form's fields (urlencoded or multipart), read once and cached by Hono. */
export interface FormFields {
  /** The field's (first) value, trimmed; '' when absent. */
  text(name: string): string;
  /** The field's value exactly as sent (not trimmed); '' when absent. */
  raw(name: string): string;
  /** Every value of a repeated field (checkboxes, multi-selects), trimmed, empty ones dropped. */
  all(name: string): string[];
  /** True when the field was sent (a checked checkbox). */
  has(name: string): boolean;
}

/** Reads the request's form body (`{}` for other content types). */
export async function readForm(c: WebContext): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const v = body[name];
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === 'string');
  };
  return {
    text: (name) => (values(name)[0] ?? '').trim(),
    raw: (name) => values(name)[0] ?? '',
    all: (name) =>
      values(name)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    has: (name) => values(name).length > 0,
  };
}

/**
 * The user-facing message and status of an expected failure (a BrokerError or HttpError from the services or the
 * edge); undefined for anything else (a bug: let it propagate to the error page).
 */
export function failureOf(e: unknown): { message: string; status: PageStatus; code: string } | undefined {
  if (e instanceof BrokerError || e instanceof HttpError) {
    const status = statusForCode(e.code);
    const known: readonly number[] = [400, 403, 404, 409, 413, 422, 429];
    return {
      message: e.message,
      status: (known.includes(status) ? status : 400) as PageStatus,
      code: e.code,
    };
  }
  return undefined;
}

/**
 * Runs a form action: on success redirects to `location` with `success`; on an expected failure redirects to
 * `back` with the service's message as an error flash. Unexpected errors propagate (500 page).
 */
export async function runAction(
  c: WebContext,
  {
    action,
    success,
    location,
    back = location,
  }: {
    action: () => Promise<unknown>;
    success: string;
    location: string;
    back?: string;
  },
): Promise<Response> {
  try {
    await action();
  } catch (e) {
    const failure = failureOf(e);
    if (failure === undefined) throw e;
    return redirectWithFlash(c, back, { kind: 'error', text: failure.message });
  }
  return redirectWithFlash(c, location, { kind: 'success', text: success });
}
