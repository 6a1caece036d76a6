/**
 * `/admin/webhooks`: signed webhook subscriptions — list, create (the signing secret is shown once, on the page the
 * create redirects to), delete, send a test ping, and each subscription's delivery log with its attempts. Every
 * action goes through the webhook service (SSRF guard, audit), as `/api/v1/webhooks` does.
 */
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../../http/middleware/auth.ts';
import { NOTICE_TYPES } from '../../../notify/notice.ts';
import type { Delivery, DeliveryAttempt, WebhookSubscription } from '../../../notify/ports.ts';
import { SIGNATURE_HEADER } from '../../../notify/signature.ts';
import { Badge, type BadgeKind, Time } from '../../components.tsx';
import type { WebApp, WebDeps } from '../../context.ts';
import { CsrfField } from '../../layout.tsx';
import { onceOptions, setOnceCookie, takeOnceCookie } from '../../once-cookie.ts';
import {
  actorOf,
  failureOf,
  readForm,
  redirectWithFlash,
  renderPage,
  runAction,
  type WebContext,
} from '../../page.tsx';
import { FormError, renderAdminPage } from './admin-shell.tsx';

const CREATED_PATH = '/admin/webhooks/created';
const ID = ':id{whk_[A-Za-z0-9]+}';

/** What the create form posted, kept when the service refuses it. */
interface WebhookFormValues {
  url: string;
  description: string;
  events: readonly string[];
}

const DELIVERY_KIND: Record<Delivery['status'], BadgeKind> = {
  pending: 'info',
  failed: 'warn',
  delivered: 'ok',
  dead: 'bad',
  skipped: 'neutral',
};

function EventChecks({ checked }: { checked: readonly string[] }) {
  return (
    <fieldset>
      <legend>Events</legend>
      <span class="hint">Every event, or only the ones ticked below.</span>
      <label class="check">
        <input type="checkbox" name="events" value="*" checked={checked.includes('*')} />
        All events
      </label>
      <div class="actions-row">
        {NOTICE_TYPES.map((t) => (
          <label class="check">
            <input type="checkbox" name="events" value={t} checked={checked.includes(t)} />
            <code>{t}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function SubscriptionRow({ s, csrf }: { s: WebhookSubscription; csrf: string }) {
  return (
    <tr data-webhook={s.id}>
      <td>
        <a href={`/admin/webhooks/${s.id}`}>
          {s.description === '' ? s.id : s.description}
          <span class="visually-hidden"> (delivery log)</span>
        </a>
        <div class="small muted">
          <code>{s.id}</code>
        </div>
      </td>
      <td class="small">
        <code>{s.url}</code>
      </td>
      <td class="small">{s.events.join(', ')}</td>
      <td>
        {s.enabled ? (
          <span class="badge badge-ok">enabled</span>
        ) : (
          <span class="badge badge-neutral">paused</span>
        )}
      </td>
      <td>
        <form
          method="post"
          action={`/admin/webhooks/${s.id}/delete`}
          class="inline"
          data-confirm={`Delete the webhook to ${s.url}?`}
        >
          <CsrfField token={csrf} />
          <button type="submit" class="danger">
            Delete<span class="visually-hidden"> webhook {s.id}</span>
          </button>
        </form>
      </td>
    </tr>
  );
}

async function renderList(
  c: WebContext,
  deps: WebDeps,
  { form, error, status }: { form?: WebhookFormValues; error?: string; status?: 400 | 422 } = {},
): Promise<Response> {
  const subscriptions = await deps.services.webhooks.list({ limit: 200 });
  const csrf = c.get('csrfToken');
  const values = form ?? { url: '', description: '', events: ['*'] };
  return renderAdminPage(c, {
    title: 'Webhooks',
    ...(status === undefined ? {} : { status }),
    body: (
      <>
        <div class="page-head">
          <h1>Webhooks</h1>
        </div>
        <section class="panel" aria-labelledby="subs-title">
          <h2 id="subs-title">Subscriptions</h2>
          {subscriptions.length === 0 ? (
            <p class="muted">No webhook subscriptions yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Webhook</th>
                    <th scope="col">URL</th>
                    <th scope="col">Events</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {subscriptions.map((s) => (
                    <SubscriptionRow s={s} csrf={csrf} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="panel" aria-labelledby="new-title">
          <h2 id="new-title">Add a webhook</h2>
          <p>
            iam-jit POSTs JSON to the URL for each event, signed in the <code>{SIGNATURE_HEADER}</code> header
            (<code>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</code>). Private, loopback and
            link-local addresses are refused unless allow-listed (<code>IAM_JIT_WEBHOOK_ALLOW_HOSTS</code>).
          </p>
          <FormError message={error} />
          <form method="post" action="/admin/webhooks" class="stack stack-fields">
            <CsrfField token={csrf} />
            <div>
              <label for="webhook-url">URL</label>
              <input type="text" inputmode="url" id="webhook-url" name="url" required value={values.url} />
            </div>
            <div>
              <label for="webhook-description">Description</label>
              <span class="hint" id="webhook-description-hint">
                Optional, up to 200 characters.
              </span>
              <input
                type="text"
                id="webhook-description"
                name="description"
                maxlength={200}
                value={values.description}
                aria-describedby="webhook-description-hint"
              />
            </div>
            <EventChecks checked={values.events} />
            <button type="submit">Add webhook</button>
          </form>
        </section>
      </>
    ),
  });
}

function AttemptList({ attempts }: { attempts: readonly DeliveryAttempt[] }) {
  if (attempts.length === 0) return <span class="muted">no attempt yet</span>;
  return (
    <details>
      <summary>
        {attempts.length} attempt{attempts.length === 1 ? '' : 's'}
      </summary>
      <ol class="small">
        {attempts.map((a) => (
          <li>
            <Time at={a.at} />: {a.statusCode === null ? 'no answer' : `HTTP ${a.statusCode}`}
            {a.error !== null && ` (${a.error})`}, {a.durationMs} ms
          </li>
        ))}
      </ol>
    </details>
  );
}

async function renderDetail(c: WebContext, deps: WebDeps): Promise<Response> {
  const { webhooks } = deps.services;
  const id = c.req.param('id') ?? '';
  const subscription = await webhooks.get(id);
  const cursor = c.req.query('cursor');
  const page = await webhooks.deliveries(id, { limit: 50, ...(cursor ? { cursor } : {}) });
  const csrf = c.get('csrfToken');
  const title = `Webhook ${subscription.description === '' ? subscription.id : subscription.description}`;
  return renderAdminPage(c, {
    title,
    body: (
      <>
        <div class="page-head">
          <h1>{title}</h1>
          <a href="/admin/webhooks">Back to webhooks</a>
        </div>
        <section class="panel">
          <dl class="facts">
            <dt>Id</dt>
            <dd>
              <code>{subscription.id}</code>
            </dd>
            <dt>URL</dt>
            <dd>
              <code>{subscription.url}</code>
            </dd>
            <dt>Events</dt>
            <dd>{subscription.events.join(', ')}</dd>
            <dt>Status</dt>
            <dd>{subscription.enabled ? 'enabled' : 'paused'}</dd>
            <dt>Created</dt>
            <dd>
              <Time at={subscription.createdAt} /> by {subscription.createdBy}
            </dd>
          </dl>
          <div class="actions-row">
            <form method="post" action={`/admin/webhooks/${subscription.id}/test`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Send a test ping
              </button>
            </form>
            <form method="post" action={`/admin/webhooks/${subscription.id}/enabled`} class="inline">
              <CsrfField token={csrf} />
              <input type="hidden" name="enabled" value={subscription.enabled ? 'false' : 'true'} />
              <button type="submit" class="secondary">
                {subscription.enabled ? 'Pause deliveries' : 'Resume deliveries'}
              </button>
            </form>
            <form
              method="post"
              action={`/admin/webhooks/${subscription.id}/rotate`}
              class="inline"
              data-confirm="Rotate the signing secret? Deliveries are signed with the new one at once."
            >
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Rotate the signing secret
              </button>
            </form>
          </div>
        </section>
        <section class="panel" aria-labelledby="log-title">
          <h2 id="log-title">Delivery log</h2>
          {page.deliveries.length === 0 ? (
            <p class="muted">Nothing delivered yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Deliveries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last answer</th>
                    <th scope="col">Created</th>
                    <th scope="col">Attempts</th>
                  </tr>
                </thead>
                <tbody>
                  {page.deliveries.map((d) => (
                    <tr data-delivery={d.id}>
                      <td>
                        <code>{d.eventType}</code>
                        <div class="small muted">
                          <code>{d.eventId}</code>
                        </div>
                      </td>
                      <td>
                        <Badge kind={DELIVERY_KIND[d.status]}>{d.status}</Badge>
                      </td>
                      <td class="small">
                        {d.lastStatusCode === null ? '—' : `HTTP ${d.lastStatusCode}`}
                        {d.lastError !== null && <div>{d.lastError}</div>}
                      </td>
                      <td class="small">
                        <Time at={d.createdAt} />
                      </td>
                      <td>
                        <AttemptList attempts={d.attemptLog} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {(cursor !== undefined || page.nextCursor !== null) && (
            <p class="actions-row">
              {cursor !== undefined && <a href={`/admin/webhooks/${id}`}>Newest</a>}
              {page.nextCursor !== null && (
                <a href={`/admin/webhooks/${id}?cursor=${encodeURIComponent(page.nextCursor)}`}>Older</a>
              )}
            </p>
          )}
        </section>
      </>
    ),
  });
}

/** What the create and rotate actions hand to the result page through the sealed cookie. */
interface ShownSecret {
  id: string;
  secret: string;
  rotated: boolean;
}

function renderCreated(c: WebContext, secret: ShownSecret | undefined): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const heading = secret?.rotated ? 'New signing secret' : 'Webhook created';
  return renderPage(c, {
    title: secret === undefined ? 'Secret no longer shown' : heading,
    body:
      secret === undefined ? (
        <section class="panel">
          <h1>Secret no longer shown</h1>
          <p>
            A webhook's signing secret is shown exactly once, right after it is created or rotated. If you did
            not keep it, rotate it again from the webhook's page.
          </p>
          <p>
            <a href="/admin/webhooks">Back to webhooks</a>
          </p>
        </section>
      ) : (
        <section class="panel" aria-labelledby="created-title">
          <h1 id="created-title">{heading}</h1>
          <p role="status" class="flash flash-success">
            {secret.rotated ? 'New signing secret of webhook ' : 'Webhook '}
            <code>{secret.id}</code>
            {secret.rotated
              ? ': deliveries are signed with it from now on. Copy it now: it will not be shown again.'
              : ' created. Copy its signing secret now: it will not be shown again.'}
          </p>
          <div class="actions-row">
            <code id="webhook-secret">{secret.secret}</code>
            <button type="button" class="secondary" data-copy="webhook-secret" hidden>
              Copy
            </button>
          </div>
          <p>
            Verify each delivery: recompute HMAC-SHA256 over <code>t.body</code> with this secret and compare
            it with <code>v1</code> in <code>{SIGNATURE_HEADER}</code>; refuse a <code>t</code> older than 5
            minutes.
          </p>
          <p class="actions-row">
            <a href={`/admin/webhooks/${secret.id}`}>Delivery log</a>
            <a href="/admin/webhooks">Back to webhooks</a>
          </p>
        </section>
      ),
  });
}

function isShownSecret(value: unknown): value is ShownSecret {
  if (typeof value !== 'object' || value === null) return false;
  const { id, secret, rotated } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof secret === 'string' && typeof rotated === 'boolean';
}

/** Registers `/admin/webhooks` and its sub-pages (behind the admin guard). */
export function registerWebhookPages(app: WebApp, deps: WebDeps): void {
  const { webhooks } = deps.services;

  app.get('/admin/webhooks', (c) => renderList(c, deps));

  app.post('/admin/webhooks', async (c) => {
    const form = await readForm(c);
    const values = {
      url: form.text('url'),
      description: form.text('description'),
      events: form.all('events'),
    };
    try {
      const { subscription, secret } = await webhooks.create(actorOf(c).id, {
        url: values.url,
        events: values.events.includes('*') ? ['*'] : values.events,
        description: values.description,
      });
      // The next page shows the secret from this sealed cookie once; the service keeps it only encrypted.
      setOnceCookie(
        c,
        CREATED_PATH,
        getCookie(c, SESSION_COOKIE) ?? '',
        { id: subscription.id, secret, rotated: false },
        onceOptions(deps),
      );
      return c.redirect(CREATED_PATH, 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return renderList(c, deps, {
        form: values,
        error: failure.message,
        status: failure.status === 422 ? 422 : 400,
      });
    }
  });

  app.get(CREATED_PATH, (c) => {
    const payload = takeOnceCookie(c, getCookie(c, SESSION_COOKIE) ?? '', onceOptions(deps));
    return renderCreated(c, isShownSecret(payload) ? payload : undefined);
  });

  app.get(`/admin/webhooks/${ID}`, (c) => renderDetail(c, deps));

  app.post(`/admin/webhooks/${ID}/delete`, (c) => {
    const id = c.req.param('id') ?? '';
    return runAction(c, {
      action: () => webhooks.remove(actorOf(c).id, id),
      success: `Deleted webhook ${id}.`,
      location: '/admin/webhooks',
    });
  });

  app.post(`/admin/webhooks/${ID}/enabled`, async (c) => {
    const id = c.req.param('id') ?? '';
    const enabled = (await readForm(c)).text('enabled') === 'true';
    return runAction(c, {
      action: () => webhooks.update(actorOf(c).id, id, { enabled }),
      success: enabled ? 'Deliveries resumed.' : 'Deliveries paused: events are not sent to this webhook.',
      location: `/admin/webhooks/${id}`,
    });
  });

  app.post(`/admin/webhooks/${ID}/rotate`, async (c) => {
    const id = c.req.param('id') ?? '';
    try {
      const { secret } = await webhooks.rotateSecret(actorOf(c).id, id);
      setOnceCookie(
        c,
        CREATED_PATH,
        getCookie(c, SESSION_COOKIE) ?? '',
        { id, secret, rotated: true },
        onceOptions(deps),
      );
      return c.redirect(CREATED_PATH, 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return redirectWithFlash(c, `/admin/webhooks/${id}`, { kind: 'error', text: failure.message });
    }
  });

  app.post(`/admin/webhooks/${ID}/test`, (c) => {
    const id = c.req.param('id') ?? '';
    return runAction(c, {
      action: () => webhooks.test(actorOf(c).id, id),
      success: 'Test ping queued; the log below shows its delivery.',
      location: `/admin/webhooks/${id}`,
    });
  });
}
