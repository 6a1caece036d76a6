/** The one page layout: skip link, header with the role's navigation, flash messages, the main landmark. */
import type { Child } from 'hono/jsx';
import type { Principal } from '../identity/authenticate.ts';
import { hasRole } from '../identity/user.ts';
import type { Flash } from './context.ts';
import { CSRF_FIELD } from './security.ts';

/** A navigation entry. */
interface NavItem {
  readonly href: string;
  readonly label: string;
}

/** The navigation a user sees: requester, approver and admin entries by role; Grants and Settings for everyone. */
export function navItems(principal: Principal | undefined): NavItem[] {
  if (principal === undefined) return [];
  const { user } = principal;
  const items: NavItem[] = [];
  if (hasRole(user, 'requester'))
    items.push({ href: '/', label: 'My requests' }, { href: '/requests/new', label: 'New request' });
  if (hasRole(user, 'approver')) items.push({ href: '/queue', label: 'Queue' });
  // Everyone may open /grants: the grant service shows each user what they may see (own, their accounts', all).
  items.push({ href: '/grants', label: 'Grants' });
  if (hasRole(user, 'admin')) items.push({ href: '/admin', label: 'Admin' });
  items.push({ href: '/settings', label: 'Settings' });
  return items;
}

/** True when `href` is the current page or a section containing it (`/admin` for `/admin/users`). */
function isCurrent(href: string, path: string): boolean {
  if (href === '/') return path === '/';
  return path === href || path.startsWith(`${href}/`);
}

/** Props of `Layout`. */
export interface LayoutProps {
  readonly title: string;
  readonly path: string;
  readonly principal: Principal | undefined;
  readonly csrfToken: string;
  readonly flash: readonly Flash[];
  readonly children?: Child;
}

/** The hidden CSRF field every form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** Flash messages as status (success, info) or alert (error) regions. */
export function FlashMessages({ flash }: { flash: readonly Flash[] }) {
  if (flash.length === 0) return null;
  return (
    <div class="flashes">
      {flash.map((f) => (
        <p class={`flash flash-${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'}>
          {f.text}
        </p>
      ))}
    </div>
  );
}

/** The whole page body (the `<!DOCTYPE html>` is prepended by `renderPage`). */
export function Layout({ title, path, principal, csrfToken, flash, children }: LayoutProps) {
  const items = navItems(principal);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · iam-jit`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            iam-jit
          </a>
          {principal !== undefined && (
            <nav aria-label="Main">
              <ul>
                {items.map((item) => (
                  <li>
                    <a href={item.href} aria-current={isCurrent(item.href, path) ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
                <li>
                  <form method="post" action="/logout" class="inline">
                    <CsrfField token={csrfToken} />
                    <button type="submit" class="link-button">
                      Log out
                    </button>
                  </form>
                </li>
              </ul>
            </nav>
          )}
          {principal !== undefined && (
            <p class="whoami">
              Signed in as <span>{principal.user.displayName}</span>
            </p>
          )}
        </header>
        <main id="main" tabindex={-1}>
          <FlashMessages flash={flash} />
          {children}
        </main>
      </body>
    </html>
  );
}
