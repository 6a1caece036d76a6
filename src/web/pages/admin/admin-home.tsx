/** `/admin`: the admin section's front page, one card per admin page. */
import type { WebApp } from '../../context.ts';
import { renderAdminPage } from './admin-shell.tsx';

const CARDS = [
  {
    href: '/admin/users',
    title: 'Users',
    text: 'Add people and IAM principals, change their roles, disable them.',
  },
  {
    href: '/admin/accounts',
    title: 'Accounts',
    text: 'Destination AWS accounts: approvers, quorum, provisioning mode and limits.',
  },
  {
    href: '/admin/webhooks',
    title: 'Webhooks',
    text: 'Signed webhook subscriptions and their delivery logs.',
  },
  { href: '/admin/audit', title: 'Audit log', text: 'Every change, hash-chained; verify the chain.' },
  {
    href: '/admin/reports',
    title: 'Reports',
    text: 'Grants, activity, approvals and the risk distribution, with CSV downloads.',
  },
] as const;

/** Registers `/admin` (behind the admin guard). */
export function registerAdminHome(app: WebApp): void {
  app.get('/admin', (c) =>
    renderAdminPage(c, {
      title: 'Admin',
      body: (
        <>
          <div class="page-head">
            <h1>Admin</h1>
          </div>
          <section class="panel">
            <dl class="facts">
              {CARDS.map((card) => (
                <>
                  <dt>
                    <a href={card.href}>{card.title}</a>
                  </dt>
                  <dd>{card.text}</dd>
                </>
              ))}
            </dl>
          </section>
        </>
      ),
    }),
  );
}
