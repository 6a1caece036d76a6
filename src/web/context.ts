/** The web UI's Hono environment and what a page-registration function receives. */
import type { Hono } from 'hono';
import type { Config } from '../config/load-config.ts';
import type { GrantService } from '../grants/grant-service.ts';
import type { HttpServices } from '../http/context.ts';
import type { Principal } from '../identity/authenticate.ts';

/** A one-shot message shown on the next page (after a redirect). */
export interface Flash {
  readonly kind: 'success' | 'error' | 'info';
  readonly text: string;
}

/** Per-request values the web middleware sets. */
export interface WebVariables {
  /** The signed-in user (session cookie only: bearer tokens never authenticate pages); undefined when anonymous. */
  principal: Principal | undefined;
  /** The CSRF token every form on the page must carry (hidden field `csrf`, or header `x-csrf-token`). */
  csrfToken: string;
  /** Messages from the previous request (consumed: shown once). */
  flash: readonly Flash[];
  /** Queues messages for the next page (signed cookie); use `redirectWithFlash` in handlers. */
  queueFlash: (messages: readonly Flash[]) => void;
}

/** The Hono environment of the web UI. */
export interface WebEnv {
  Variables: WebVariables;
}

/** The Hono app pages are registered on (mounted at `/` of the server). */
export type WebApp = Hono<WebEnv>;

/** The services the pages call: the API's, plus the grant service when provisioning is configured. */
export type WebServices = HttpServices & { readonly grants?: GrantService };

/** What a page-registration function receives. */
export interface WebDeps {
  readonly services: WebServices;
  readonly config: Config;
}

/**
 * A page-registration function: adds GET/POST routes to the web app. Listed in `pages/index.ts`. Every route
 * already runs behind the web middleware (security headers, session, CSRF check on unsafe methods, flash).
 */
export type RegisterPages = (app: WebApp, deps: WebDeps) => void;
