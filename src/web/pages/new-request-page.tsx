/**
 * `/requests/new`: the request editor. `POST /requests/new` submits (intent=submit) or re-renders with the review
 * (intent=review, the no-JavaScript path); `POST /requests/new/review` answers the review pane alone (app.js);
 * `GET /requests/new/actions?q=` is the action picker's search (JSON).
 */
import type { Account } from '../../accounts/account.ts';
import { getIamCatalog } from '../../policy/iam-catalog.ts';
import { searchActions } from '../action-search.ts';
import type { WebApp, WebDeps } from '../context.ts';
import {
  actorOf,
  failureOf,
  type PageStatus,
  readForm,
  redirectWithFlash,
  renderPage,
  requireUser,
  type WebContext,
} from '../page.tsx';
import { RequestEditor, ReviewPane, type ReviewState } from '../request-editor.tsx';
import {
  emptyRequestForm,
  isPolicyEmpty,
  type RequestFormValues,
  requestFormValues,
  submitInputOf,
} from '../request-form.ts';

/**
 * The review of the form's values through `services.requests.preview` (the same checks as a submission, nothing
 * stored): empty until there is a policy; a service error's message otherwise.
 */
export async function reviewOf(
  deps: WebDeps,
  c: WebContext,
  values: RequestFormValues,
): Promise<ReviewState> {
  if (isPolicyEmpty(values)) return { kind: 'empty' };
  if (values.accountIds.length === 0) return { kind: 'error', message: 'Pick at least one account.' };
  try {
    return {
      kind: 'preview',
      preview: await deps.services.requests.preview(actorOf(c), submitInputOf(values)),
    };
  } catch (e) {
    const failure = failureOf(e);
    if (failure === undefined) throw e;
    return { kind: 'error', message: failure.message };
  }
}

/** The HTML fragment of the review pane (what app.js swaps in). */
export async function renderReviewFragment(c: WebContext, state: ReviewState): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(await (<ReviewPane state={state} />).toString());
}

async function editorPage(
  c: WebContext,
  deps: WebDeps,
  {
    values,
    review,
    status = 200,
    error,
  }: { values: RequestFormValues; review: ReviewState; status?: PageStatus; error?: string },
): Promise<Response> {
  const accounts: Account[] = await deps.services.accounts.list({ limit: 500 });
  return renderPage(c, {
    title: 'New request',
    status,
    body: (
      <>
        <h1>New access request</h1>
        {error !== undefined && (
          <p class="flash flash-error" role="alert">
            {error}
          </p>
        )}
        <RequestEditor
          csrf={c.get('csrfToken')}
          values={values}
          action="/requests/new"
          reviewUrl="/requests/new/review"
          accounts={accounts}
          maxDurationHours={deps.config.requests.maxDurationHours}
          requireJustification={deps.config.requests.requireJustification}
          mode="new"
          showJustification={true}
          services={getIamCatalog().services()}
          review={review}
          submitLabel="Submit request"
        />
      </>
    ),
  });
}

/** Registers the new-request routes (requester role). */
export function registerNewRequestPage(app: WebApp, deps: WebDeps): void {
  const { services, config } = deps;

  app.get('/requests/new', requireUser('requester'), (c) =>
    editorPage(c, deps, {
      values: emptyRequestForm(config.requests.defaultDurationHours),
      review: { kind: 'empty' },
    }),
  );

  app.get('/requests/new/actions', requireUser(), (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ groups: searchActions(c.req.query('q') ?? '') });
  });

  app.post('/requests/new/review', requireUser('requester'), async (c) => {
    const values = requestFormValues(await readForm(c));
    return renderReviewFragment(c, await reviewOf(deps, c, values));
  });

  app.post('/requests/new', requireUser('requester'), async (c) => {
    const form = await readForm(c);
    const values = requestFormValues(form);
    if (form.text('intent') === 'review')
      return editorPage(c, deps, { values, review: await reviewOf(deps, c, values) });
    try {
      const id = await services.requests.submit(actorOf(c), submitInputOf(values));
      return redirectWithFlash(c, `/requests/${id}`, {
        kind: 'success',
        text: 'Request submitted. It now waits for approval.',
      });
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return editorPage(c, deps, {
        values,
        review: await reviewOf(deps, c, values),
        status: failure.status,
        error: failure.message,
      });
    }
  });
}
