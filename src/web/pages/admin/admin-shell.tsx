/** The admin section's frame: its own navigation above every admin page, and the admin-only guard. */
import type { Child } from 'hono/jsx';
import type { WebApp } from '../../context.ts';
import { type PageStatus, renderPage, requireUser, type WebContext } from '../../page.tsx';

/** The admin pages, in navigation order. */
export const ADMIN_SECTIONS = [
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/accounts', label: 'Accounts' },
  { href: '/admin/webhooks', label: 'Webhooks' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/reports', label: 'Reports' },
] as const;

/** Guards `/admin` and everything under it: admins only (others get the 403 page, anonymous visitors sign in). */
export function guardAdminPages(app: WebApp): void {
  app.use('/admin', requireUser('admin'));
  app.use('/admin/*', requireUser('admin'));
}

/** The admin sub-navigation, marking the current section. */
export function AdminNav({ path }: { path: string }) {
  return (
    <nav class="subnav" aria-label="Admin">
      <p class="actions-row">
        {ADMIN_SECTIONS.map((s) => {
          const current = path === s.href || path.startsWith(`${s.href}/`);
          return (
            <a
              href={s.href}
              class={current ? 'button' : 'button secondary'}
              aria-current={current ? 'page' : undefined}
            >
              {s.label}
            </a>
          );
        })}
      </p>
    </nav>
  );
}

/** Renders an admin page: the admin navigation, then `body` (which brings its own `<h1>`). */
export function renderAdminPage(
  c: WebContext,
  { title, body, status }: { title: string; body: Child; status?: PageStatus },
): Promise<Response> {
  return renderPage(c, {
    title,
    ...(status === undefined ? {} : { status }),
    body: (
      <>
        <AdminNav path={c.req.path} />
        {body}
      </>
    ),
  });
}

/** A form-level error message (the service's text), announced to screen readers. */
export function FormError({ message }: { message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p class="flash flash-error" role="alert">
      {message}
    </p>
  );
}

/**
 * An instant typed in a filter: `YYYY-MM-DDTHH:MM` (a datetime-local field) and `YYYY-MM-DD` are read as UTC;
 * anything else goes to `Date` as is (an invalid date is refused by the audit query with its own message).
 */
export function parseUtcInstant(text: string): Date {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return new Date(`${t}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) return new Date(`${t}Z`);
  return new Date(t);
}
