/**
 * The forms of the request detail page: approve, reject, request changes, cancel, comment; edit / resubmit (with the
 * editor and its live review); revoke, extend and console sign-in for the request's grants. Each calls one service
 * use case and redirects back with its outcome (the service's message on failure).
 */
import type { Grant } from '../../grants/grant.ts';
import type { GrantService } from '../../grants/grant-service.ts';
import { BrokerError } from '../../lib/errors.ts';
import { getIamCatalog } from '../../policy/iam-catalog.ts';
import type { WebApp, WebDeps } from '../context.ts';
import {
  actorOf,
  failureOf,
  type PageStatus,
  readForm,
  redirectWithFlash,
  renderPage,
  requireUser,
  runAction,
  type WebContext,
} from '../page.tsx';
import { RequestEditor, type ReviewState } from '../request-editor.tsx';
import {
  editInputOf,
  type RequestFormValues,
  requestFormValues,
  valuesFromRevision,
} from '../request-form.ts';
import { renderReviewFragment, reviewOf } from './new-request-page.tsx';

/**
 * The grant `gid` of request `id` as the actor may see it, with the grant service; NotFound when it belongs to
 * another request, Unsupported when provisioning is not configured.
 */
async function grantOf(deps: WebDeps, c: WebContext): Promise<{ grant: Grant; grants: GrantService }> {
  const grants = deps.services.grants;
  const id = c.req.param('id') ?? '';
  const gid = c.req.param('gid') ?? '';
  if (grants === undefined)
    throw new BrokerError('Unsupported', 'provisioning is not configured on this server');
  const grant = await grants.get(actorOf(c), gid);
  if (grant.requestId !== id) throw new BrokerError('NotFound', `grant ${gid} not found`);
  return { grant, grants };
}

async function editPage(
  c: WebContext,
  deps: WebDeps,
  {
    values,
    review,
    status = 200,
    error,
  }: { values?: RequestFormValues; review?: ReviewState; status?: PageStatus; error?: string },
): Promise<Response> {
  const actor = actorOf(c);
  const detail = await deps.services.requests.get(actor, c.req.param('id') ?? '');
  const { request } = detail;
  const current = detail.revisions.find((r) => r.number === request.currentRevision);
  if (current === undefined) throw new Error(`request ${request.id} has no current revision`);
  const isRequester = request.requesterId === actor.id;
  const resubmit = request.status === 'changes_requested';
  const shown = values ?? valuesFromRevision(request, current);
  return renderPage(c, {
    title: resubmit ? 'Revise and resubmit' : 'Edit the request',
    status,
    body: (
      <>
        <h1>{resubmit ? 'Revise and resubmit' : 'Edit the request'}</h1>
        <p>
          <a href={`/requests/${request.id}`}>Back to the request</a> · accounts{' '}
          {request.accountIds.map((a) => (
            <code>{a} </code>
          ))}
          · revision {request.currentRevision}
          {!isRequester && ' · as approver you may narrow the policy; approvals start over'}
        </p>
        {error !== undefined && (
          <p class="flash flash-error" role="alert">
            {error}
          </p>
        )}
        <RequestEditor
          csrf={c.get('csrfToken')}
          values={shown}
          action={`/requests/${request.id}/edit`}
          reviewUrl={`/requests/${request.id}/edit/review`}
          accounts={undefined}
          maxDurationHours={deps.config.requests.maxDurationHours}
          requireJustification={deps.config.requests.requireJustification}
          mode={resubmit ? 'resubmit' : 'edit'}
          showJustification={isRequester}
          services={getIamCatalog().services()}
          review={review ?? (await reviewOf(deps, c, shown))}
          submitLabel={resubmit ? 'Resubmit' : 'Save as new revision'}
        />
      </>
    ),
  });
}

/** Registers the action routes of the request detail page. */
export function registerRequestActions(app: WebApp, deps: WebDeps): void {
  const { services } = deps;
  const back = (c: WebContext) => `/requests/${c.req.param('id')}`;

  app.post('/requests/:id/approve', requireUser(), async (c) => {
    const comment = (await readForm(c)).text('comment');
    return runAction(c, {
      action: () =>
        services.requests.approve(actorOf(c), c.req.param('id'), comment === '' ? {} : { comment }),
      success: 'Approved.',
      location: back(c),
    });
  });

  app.post('/requests/:id/reject', requireUser(), async (c) => {
    const reason = (await readForm(c)).text('reason');
    return runAction(c, {
      action: () => services.requests.reject(actorOf(c), c.req.param('id'), { reason }),
      success: 'Rejected.',
      location: back(c),
    });
  });

  app.post('/requests/:id/request-changes', requireUser(), async (c) => {
    const comment = (await readForm(c)).text('comment');
    return runAction(c, {
      action: () => services.requests.requestChanges(actorOf(c), c.req.param('id'), { comment }),
      success: 'Changes requested. The requester can now revise and resubmit.',
      location: back(c),
    });
  });

  app.post('/requests/:id/cancel', requireUser(), async (c) => {
    const reason = (await readForm(c)).text('reason');
    return runAction(c, {
      action: () => services.requests.cancel(actorOf(c), c.req.param('id'), reason === '' ? {} : { reason }),
      success: 'Request cancelled.',
      location: back(c),
    });
  });

  app.post('/requests/:id/comment', requireUser(), async (c) => {
    const body = (await readForm(c)).text('body');
    return runAction(c, {
      action: () => services.requests.comment(actorOf(c), c.req.param('id'), { body }),
      success: 'Comment added.',
      location: `${back(c)}#conversation-title`,
      back: back(c),
    });
  });

  app.get('/requests/:id/edit', requireUser(), (c) => editPage(c, deps, {}));

  app.post('/requests/:id/edit/review', requireUser(), async (c) => {
    const values = requestFormValues(await readForm(c));
    return renderReviewFragment(c, await reviewOf(deps, c, values));
  });

  app.post('/requests/:id/edit', requireUser(), async (c) => {
    const actor = actorOf(c);
    const id = c.req.param('id');
    const form = await readForm(c);
    const values = requestFormValues(form);
    if (form.text('intent') === 'review') return editPage(c, deps, { values });
    try {
      const detail = await services.requests.get(actor, id);
      const isRequester = detail.request.requesterId === actor.id;
      const input = editInputOf(values, { justification: isRequester && form.has('justification') });
      if (detail.request.status === 'changes_requested') {
        await services.requests.resubmit(actor, id, input);
        return redirectWithFlash(c, back(c), { kind: 'success', text: 'Resubmitted for approval.' });
      }
      await services.requests.edit(actor, id, input);
      return redirectWithFlash(c, back(c), {
        kind: 'success',
        text: 'Saved as a new revision. Approvals start over.',
      });
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return editPage(c, deps, { values, status: failure.status, error: failure.message });
    }
  });

  app.post('/requests/:id/grants/:gid/revoke', requireUser(), async (c) => {
    const reason = (await readForm(c)).text('reason');
    return runAction(c, {
      action: async () => {
        const { grant, grants } = await grantOf(deps, c);
        await grants.revoke(actorOf(c), grant.id, { reason });
      },
      success: 'Revoking: the role is being removed and its sessions denied.',
      location: back(c),
    });
  });

  app.post('/requests/:id/grants/:gid/extend', requireUser(), async (c) => {
    const form = await readForm(c);
    const hours = Number(form.text('hours'));
    return runAction(c, {
      action: async () => {
        const { grant, grants } = await grantOf(deps, c);
        await grants.extend(actorOf(c), grant.id, { hours, reason: form.text('reason') });
      },
      success: `Extended by ${hours} h.`,
      location: back(c),
    });
  });

  app.post('/requests/:id/grants/:gid/console', requireUser(), async (c) => {
    try {
      const { grant, grants } = await grantOf(deps, c);
      const { url, expiration } = await grants.consoleUrl(actorOf(c), grant.id);
      return renderPage(c, {
        title: 'AWS console sign-in',
        body: (
          <section class="panel narrow">
            <h1>AWS console sign-in</h1>
            <p>
              <a href={url} rel="noreferrer noopener" target="_blank">
                Open the AWS console for {grant.accountId}
              </a>{' '}
              (opens in a new tab; the session ends at {expiration.toISOString().slice(11, 16)} UTC).
            </p>
            <p>
              <a href={back(c)}>Back to the request</a>
            </p>
          </section>
        ),
      });
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return redirectWithFlash(c, back(c), { kind: 'error', text: failure.message });
    }
  });
}
