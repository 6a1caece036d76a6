/**
 * `/settings/tokens`: the signed-in user's API tokens — mint (the raw token is shown once, on the page the mint
 * redirects to, and never again), list, revoke. Same token service and rules as `/api/v1/tokens`.
 */
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../../http/middleware/auth.ts';
import type { ApiTokenRecord } from '../../../identity/ports.ts';
import { Time } from '../../components.tsx';
import type { WebApp, WebDeps } from '../../context.ts';
import { CsrfField } from '../../layout.tsx';
import { onceOptions, setOnceCookie, takeOnceCookie } from '../../once-cookie.ts';
import {
  currentUser,
  failureOf,
  readForm,
  redirectWithFlash,
  renderPage,
  requireUser,
  runAction,
  type WebContext,
} from '../../page.tsx';

const CREATED_PATH = '/settings/tokens/created';

/** What the mint hands to the result page through the sealed cookie. */
interface Minted {
  token: string;
  label: string | null;
}

function isMinted(value: unknown): value is Minted {
  if (typeof value !== 'object' || value === null) return false;
  const { token, label } = value as Record<string, unknown>;
  return typeof token === 'string' && (label === null || typeof label === 'string');
}

function TokenRow({ token, csrf }: { token: ApiTokenRecord; csrf: string }) {
  const name = token.label ?? 'unlabelled token';
  return (
    <tr data-token={token.tokenHash}>
      <td>{token.label ?? <span class="muted">(no label)</span>}</td>
      <td>
        <code class="small" title={token.tokenHash}>
          {token.tokenHash.slice(0, 12)}…
        </code>
      </td>
      <td class="small">
        <Time at={token.createdAt} />
      </td>
      <td class="small">{token.lastUsedAt === null ? 'never' : <Time at={token.lastUsedAt} />}</td>
      <td>
        <form method="post" action="/settings/tokens/revoke" class="inline" data-confirm={`Revoke ${name}?`}>
          <CsrfField token={csrf} />
          <input type="hidden" name="token_hash" value={token.tokenHash} />
          <button type="submit" class="danger">
            Revoke<span class="visually-hidden"> {name}</span>
          </button>
        </form>
      </td>
    </tr>
  );
}

async function renderTokens(c: WebContext, deps: WebDeps): Promise<Response> {
  const tokens = await deps.services.tokens.list(currentUser(c).user.id);
  const csrf = c.get('csrfToken');
  return renderPage(c, {
    title: 'API tokens',
    body: (
      <>
        <div class="page-head">
          <h1>API tokens</h1>
        </div>
        <section class="panel" aria-labelledby="mint-title">
          <h2 id="mint-title">Create a token</h2>
          <p>
            A token acts as you, with your roles, for the CLI, the MCP server and the API (
            <code>Authorization: Bearer …</code>). It is shown once; only its SHA-256 is stored.
          </p>
          <form method="post" action="/settings/tokens" class="stack stack-fields">
            <CsrfField token={csrf} />
            <div>
              <label for="token-label">Label</label>
              <span class="hint" id="token-label-hint">
                Where you will use it, e.g. "laptop CLI" (optional, up to 100 characters).
              </span>
              <input
                type="text"
                id="token-label"
                name="label"
                maxlength={100}
                aria-describedby="token-label-hint"
              />
            </div>
            <button type="submit">Create token</button>
          </form>
        </section>
        <section class="panel" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Your tokens</h2>
          {tokens.length === 0 ? (
            <p class="muted">You have no API tokens.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Id (SHA-256)</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <TokenRow token={t} csrf={csrf} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </>
    ),
  });
}

function renderCreated(c: WebContext, minted: Minted | undefined, baseUrl: string): Promise<Response> {
  return renderPage(c, {
    title: minted === undefined ? 'Token no longer shown' : 'Your new API token',
    body:
      minted === undefined ? (
        <section class="panel">
          <h1>Token no longer shown</h1>
          <p>
            A new token is shown exactly once, right after it is created, and this page has already shown it
            (or it was never created here). If you did not keep it, revoke it and create another.
          </p>
          <p>
            <a href="/settings/tokens">Back to your tokens</a>
          </p>
        </section>
      ) : (
        <section class="panel" aria-labelledby="created-title">
          <h1 id="created-title">Your new API token</h1>
          <p role="status" class="flash flash-success">
            Token {minted.label === null ? '' : `"${minted.label}" `}created. Copy it now: it will not be
            shown again.
          </p>
          <div class="actions-row">
            <code id="new-token" class="secret">
              {minted.token}
            </code>
            <button type="button" class="secondary" data-copy="new-token" hidden>
              Copy
            </button>
          </div>
          <h2>Use it</h2>
          <pre>{`export IAM_JIT_BASE_URL=${baseUrl}\nexport IAM_JIT_API_TOKEN=<the token>\ncurl -H "Authorization: Bearer $IAM_JIT_API_TOKEN" $IAM_JIT_BASE_URL/api/v1/users/me`}</pre>
          <p>
            <a href="/settings/tokens">Back to your tokens</a>
          </p>
        </section>
      ),
  });
}

/** Registers `/settings` (→ tokens), `/settings/tokens`, the mint result page and revoke; any signed-in user. */
export function registerTokenPages(app: WebApp, deps: WebDeps): void {
  const { tokens } = deps.services;
  app.get('/settings', requireUser(), (c) => c.redirect('/settings/tokens', 303));
  app.get('/settings/tokens', requireUser(), (c) => renderTokens(c, deps));

  app.post('/settings/tokens', requireUser(), async (c) => {
    const label = (await readForm(c)).text('label');
    try {
      const { token, record } = await tokens.create(currentUser(c).user.id, {
        label: label === '' ? null : label,
      });
      // The page that shows the token reads it from this sealed cookie once; nothing keeps it server-side.
      setOnceCookie(
        c,
        CREATED_PATH,
        getCookie(c, SESSION_COOKIE) ?? '',
        { token, label: record.label },
        onceOptions(deps),
      );
      return c.redirect(CREATED_PATH, 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return redirectWithFlash(c, '/settings/tokens', { kind: 'error', text: failure.message });
    }
  });

  app.get(CREATED_PATH, requireUser(), (c) => {
    const payload = takeOnceCookie(c, getCookie(c, SESSION_COOKIE) ?? '', onceOptions(deps));
    c.header('Cache-Control', 'no-store');
    return renderCreated(c, isMinted(payload) ? payload : undefined, deps.config.server.baseUrl);
  });

  app.post('/settings/tokens/revoke', requireUser(), async (c) => {
    const hash = (await readForm(c)).text('token_hash');
    return runAction(c, {
      action: () => tokens.revoke(hash, { ownerId: currentUser(c).user.id }),
      success: 'Token revoked; it no longer works.',
      location: '/settings/tokens',
    });
  });
}
