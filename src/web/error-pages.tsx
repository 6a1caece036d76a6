/** The pages every web route may end in: CSRF refusal, not found, service failure, unexpected error. */

import { failureOf, renderMessage, type WebContext } from './page.tsx';
import type { CsrfRefusal } from './security.ts';

/** 403: the form failed the CSRF checks; nothing was changed. */
export function renderCsrfRefusal(c: WebContext, refusal: CsrfRefusal): Promise<Response> {
  return renderMessage(c, {
    title: 'Form refused',
    status: 403,
    message: (
      <>
        <p>
          This form could not be verified ({refusal}), so nothing was changed. The check protects you against
          cross-site request forgery (CSRF).
        </p>
        <p>
          Go back, reload the page and try again. If you were signed out meanwhile,{' '}
          <a href="/login">sign in again</a>.
        </p>
      </>
    ),
  });
}

/** 404 page for any path no page serves. */
export function renderNotFound(c: WebContext): Promise<Response> {
  return renderMessage(c, {
    title: 'Not found',
    status: 404,
    message: (
      <p>
        There is no page at this address. <a href="/">Go to your requests</a>.
      </p>
    ),
  });
}

/**
 * The page for an error thrown by a handler: a service failure (BrokerError/HttpError) shows its message with its
 * status; anything else is a bug, logged by the caller, shown as a generic 500.
 */
export function renderError(c: WebContext, e: unknown): { response: Promise<Response>; unexpected: boolean } {
  const failure = failureOf(e);
  if (failure !== undefined)
    return {
      response: renderMessage(c, {
        title: failure.status === 404 ? 'Not found' : 'That did not work',
        message: failure.message,
        status: failure.status,
      }),
      unexpected: false,
    };
  return {
    response: renderMessage(c, {
      title: 'Something went wrong',
      message: 'The server hit an unexpected error. It has been logged; try again later.',
      status: 500,
    }),
    unexpected: true,
  };
}
