/**
 * `/admin/users`: list users (by id, 100 a page), add one, change a user's roles, disable or enable. Every change goes
 * through the user service, as `POST/PATCH /api/v1/users` do; its refusals (an invalid id, `UserExists`,
 * `LastAdmin`) are shown as they are.
 */
import { ROLES, type Role, type User } from '../../../identity/user.ts';
import type { WebApp, WebDeps } from '../../context.ts';
import { CsrfField } from '../../layout.tsx';
import { currentUser, failureOf, readForm, runAction, type WebContext } from '../../page.tsx';
import { FormError, renderAdminPage } from './admin-shell.tsx';

const PAGE_SIZE = 100;

/** Values of the "add a user" form, kept when the service refuses it. */
interface NewUserValues {
  id: string;
  displayName: string;
  roles: readonly string[];
}

function RoleChecks({
  name,
  checked,
  context,
}: {
  name: string;
  checked: readonly string[];
  context: string;
}) {
  return (
    <>
      {ROLES.map((role) => (
        <label class="check">
          <input type="checkbox" name={name} value={role} checked={checked.includes(role)} />
          {role}
          <span class="visually-hidden"> {context}</span>
        </label>
      ))}
    </>
  );
}

function UserRow({ user, csrf }: { user: User; csrf: string }) {
  return (
    <tr data-user={user.id}>
      <td>
        <code>{user.id}</code>
        <div class="small muted">{user.displayName}</div>
      </td>
      <td>
        <form method="post" action="/admin/users/roles" class="roles-form">
          <CsrfField token={csrf} />
          <input type="hidden" name="user_id" value={user.id} />
          <fieldset class="actions-row">
            <legend class="visually-hidden">Roles of {user.id}</legend>
            <RoleChecks name="roles" checked={user.roles} context={`for ${user.id}`} />
            <button type="submit" class="secondary">
              Save<span class="visually-hidden"> roles of {user.id}</span>
            </button>
          </fieldset>
        </form>
      </td>
      <td>
        {user.enabled ? (
          <span class="badge badge-ok">enabled</span>
        ) : (
          <span class="badge badge-bad">disabled</span>
        )}
      </td>
      <td>
        <form
          method="post"
          action="/admin/users/enabled"
          class="inline"
          data-confirm={user.enabled ? `Disable ${user.id}? Their sessions end now.` : undefined}
        >
          <CsrfField token={csrf} />
          <input type="hidden" name="user_id" value={user.id} />
          <input type="hidden" name="enabled" value={user.enabled ? 'false' : 'true'} />
          <button type="submit" class="secondary">
            {user.enabled ? 'Disable' : 'Enable'}
            <span class="visually-hidden"> {user.id}</span>
          </button>
        </form>
      </td>
    </tr>
  );
}

async function renderUsers(
  c: WebContext,
  deps: WebDeps,
  { form, error, status }: { form?: NewUserValues; error?: string; status?: 200 | 400 | 409 | 422 } = {},
): Promise<Response> {
  const after = c.req.query('after');
  const page = await deps.services.users.list({ limit: PAGE_SIZE + 1, ...(after ? { after } : {}) });
  const shown = page.slice(0, PAGE_SIZE);
  const next = page.length > PAGE_SIZE ? shown.at(-1)?.id : undefined;
  const csrf = c.get('csrfToken');
  const values = form ?? { id: '', displayName: '', roles: ['requester'] };
  return renderAdminPage(c, {
    title: 'Users',
    ...(status === undefined ? {} : { status }),
    body: (
      <>
        <div class="page-head">
          <h1>Users</h1>
        </div>
        <section class="panel" aria-labelledby="add-user">
          <h2 id="add-user">Add a user</h2>
          <FormError message={error} />
          <form method="post" action="/admin/users" class="stack stack-fields">
            <CsrfField token={csrf} />
            <div>
              <label for="user-id">User id</label>
              <span class="hint" id="user-id-hint">
                <code>email:alice@example.com</code> or <code>iam:arn:aws:iam::111122223333:role/Name</code>
              </span>
              <input
                type="text"
                id="user-id"
                name="user_id"
                required
                value={values.id}
                aria-describedby="user-id-hint"
                autocomplete="off"
              />
            </div>
            <div>
              <label for="display-name">Display name</label>
              <span class="hint" id="display-name-hint">
                Optional; defaults to the email address or the ARN's last part.
              </span>
              <input
                type="text"
                id="display-name"
                name="display_name"
                value={values.displayName}
                aria-describedby="display-name-hint"
              />
            </div>
            <fieldset>
              <legend>Roles</legend>
              <RoleChecks name="roles" checked={values.roles} context="for the new user" />
            </fieldset>
            <button type="submit">Add user</button>
          </form>
        </section>
        <section class="panel" aria-labelledby="all-users">
          <h2 id="all-users">All users</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => (
                  <UserRow user={u} csrf={csrf} />
                ))}
              </tbody>
            </table>
          </div>
          {(after !== undefined || next !== undefined) && (
            <p class="actions-row">
              {after !== undefined && <a href="/admin/users">First page</a>}
              {next !== undefined && <a href={`/admin/users?after=${encodeURIComponent(next)}`}>Next page</a>}
            </p>
          )}
        </section>
      </>
    ),
  });
}

/** Registers `/admin/users` (the admin guard is installed by the admin pages' registration). */
export function registerUserPages(app: WebApp, deps: WebDeps): void {
  const { users } = deps.services;

  app.get('/admin/users', (c) => renderUsers(c, deps));

  app.post('/admin/users', async (c) => {
    const form = await readForm(c);
    const values = {
      id: form.text('user_id'),
      displayName: form.text('display_name'),
      roles: form.all('roles'),
    };
    try {
      const user = await users.create(
        {
          id: values.id,
          roles: values.roles as Role[],
          ...(values.displayName !== '' ? { displayName: values.displayName } : {}),
        },
        currentUser(c).user.id,
      );
      c.get('queueFlash')([
        { kind: 'success', text: `Added ${user.id} (${user.roles.join(', ') || 'no roles'}).` },
      ]);
      return c.redirect('/admin/users', 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      const status = failure.status === 409 ? 409 : failure.status === 422 ? 422 : 400;
      return renderUsers(c, deps, { form: values, error: failure.message, status });
    }
  });

  app.post('/admin/users/roles', async (c) => {
    const form = await readForm(c);
    const id = form.text('user_id');
    const roles = form.all('roles') as Role[];
    return runAction(c, {
      action: () => users.update(id, { roles }, currentUser(c).user.id),
      success: `Roles of ${id}: ${roles.length > 0 ? roles.join(', ') : 'none'}.`,
      location: '/admin/users',
    });
  });

  app.post('/admin/users/enabled', async (c) => {
    const form = await readForm(c);
    const id = form.text('user_id');
    const enabled = form.text('enabled') === 'true';
    return runAction(c, {
      action: () => users.update(id, { enabled }, currentUser(c).user.id),
      success: enabled ? `Enabled ${id}.` : `Disabled ${id}; their sessions have ended.`,
      location: '/admin/users',
    });
  });
}
