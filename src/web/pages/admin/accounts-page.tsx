/**
 * `/admin/accounts`: the destination accounts (approvers, quorum, provisioning mode, limits), a form to register one
 * and one to edit each. Writes go through the account service with the admin as actor (audited there), as
 * `POST/PATCH /api/v1/accounts` do; a refused form is shown again with the admin's text and the service's message.
 */
import { type Account, PROVISIONING_MODES } from '../../../accounts/account.ts';
import { BrokerError } from '../../../lib/errors.ts';
import type { WebApp, WebDeps } from '../../context.ts';
import { CsrfField } from '../../layout.tsx';
import { actorOf, failureOf, readForm, type WebContext } from '../../page.tsx';
import {
  type AccountFormValues,
  accountFormFromFields,
  accountFormValues,
  accountInputFromForm,
  accountPatchFromForm,
  blankAccountForm,
} from './account-form.ts';
import { FormError, renderAdminPage } from './admin-shell.tsx';

const PAGE_SIZE = 100;

function AccountsTable({ accounts }: { accounts: readonly Account[] }) {
  if (accounts.length === 0) return <p class="muted">No accounts yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Environment</th>
            <th scope="col">Mode</th>
            <th scope="col">Approvers</th>
            <th scope="col">Quorum</th>
            <th scope="col">Max hours</th>
            <th scope="col">Services</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr data-account={a.id}>
              <td>
                <a href={`/admin/accounts/${a.id}`}>
                  {a.name}
                  <span class="visually-hidden"> (edit)</span>
                </a>
                <div class="small muted">
                  <code>{a.id}</code>
                </div>
              </td>
              <td>{a.environment}</td>
              <td>
                <code>{a.provisioningMode}</code>
                {a.provisioningMode === 'identity_center' && (
                  <div class="small muted" data-permission-set>
                    {a.permissionSetArn === null ? (
                      'per-grant permission sets'
                    ) : (
                      <>
                        shared permission set <code>{a.permissionSetArn}</code>
                      </>
                    )}
                  </div>
                )}
              </td>
              <td>
                {a.approvers.length === 0 ? (
                  <span class="muted">admins only</span>
                ) : (
                  a.approvers.map((id) => <div class="small">{id}</div>)
                )}
              </td>
              <td>{a.requiredApprovals}</td>
              <td>{a.maxDurationHours ?? <span class="muted">global</span>}</td>
              <td>
                {a.allowedServices === null ? <span class="muted">any</span> : a.allowedServices.join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One labelled text field with an optional hint. */
function Field({
  id,
  name,
  label,
  value,
  hint,
  required,
  readonly,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  hint?: string;
  required?: boolean;
  readonly?: boolean;
}) {
  return (
    <div>
      <label for={id}>{label}</label>
      {hint !== undefined && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <input
        type="text"
        id={id}
        name={name}
        value={value}
        required={required}
        readonly={readonly}
        aria-describedby={hint !== undefined ? `${id}-hint` : undefined}
        autocomplete="off"
      />
    </div>
  );
}

function AccountForm({
  values,
  action,
  csrf,
  isNew,
}: {
  values: AccountFormValues;
  action: string;
  csrf: string;
  isNew: boolean;
}) {
  return (
    <form method="post" action={action} class="stack stack-fields">
      <CsrfField token={csrf} />
      <Field
        id="account-id"
        name="id"
        label="AWS account id"
        value={values.id}
        hint={isNew ? '12 digits.' : 'The account id cannot change.'}
        required
        readonly={!isNew}
      />
      <Field id="account-name" name="name" label="Name" value={values.name} required />
      <Field
        id="account-env"
        name="environment"
        label="Environment"
        value={values.environment}
        hint="prod, nonprod, staging, …; prod and production raise the risk score."
        required
      />
      <div>
        <label for="account-mode">Provisioning mode</label>
        <select id="account-mode" name="provisioning_mode">
          {PROVISIONING_MODES.map((m) => (
            <option value={m} selected={values.provisioningMode === m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="account-role"
        name="spoke_role_arn"
        label="Spoke role ARN"
        value={values.spokeRoleArn}
        hint="The role iam-jit assumes in this account to provision; blank until configured."
      />
      <Field
        id="account-external"
        name="external_id"
        label="External id"
        value={values.externalId}
        hint="Shared with the spoke role's trust policy; blank for none."
      />
      <Field
        id="account-permission-set"
        name="permission_set_arn"
        label="Permission set ARN (identity_center)"
        value={values.permissionSetArn}
        hint="An existing permission set every grant in this account is assigned (arn:aws:sso:::permissionSet/ssoins-…/ps-…); blank: a per-grant permission set with the approved policy. It cannot change while grants are live."
      />
      <div>
        <label for="account-approvers">Approvers</label>
        <span class="hint" id="account-approvers-hint">
          One user id per line (<code>email:…</code> or <code>iam:arn:…</code>). Admins may always approve.
        </span>
        <textarea id="account-approvers" name="approvers" rows={4} aria-describedby="account-approvers-hint">
          {values.approvers}
        </textarea>
      </div>
      <div>
        <label for="account-quorum">Approvals required</label>
        <span class="hint" id="account-quorum-hint">
          Distinct approvers needed (quorum), 1–10.
        </span>
        <input
          type="number"
          id="account-quorum"
          name="required_approvals"
          min="1"
          max="10"
          value={values.requiredApprovals}
          aria-describedby="account-quorum-hint"
        />
      </div>
      <div>
        <label for="account-hours">Maximum grant duration (hours)</label>
        <span class="hint" id="account-hours-hint">
          Blank: the deployment's maximum applies.
        </span>
        <input
          type="text"
          inputmode="decimal"
          id="account-hours"
          name="max_duration_hours"
          value={values.maxDurationHours}
          aria-describedby="account-hours-hint"
        />
      </div>
      <Field
        id="account-services"
        name="allowed_services"
        label="Allowed services"
        value={values.allowedServices}
        hint="Service prefixes separated by commas (s3, ec2); blank: any service."
      />
      <button type="submit">{isNew ? 'Create account' : 'Save changes'}</button>
    </form>
  );
}

async function renderList(c: WebContext, deps: WebDeps): Promise<Response> {
  const after = c.req.query('after');
  const page = await deps.services.accounts.list({ limit: PAGE_SIZE + 1, ...(after ? { after } : {}) });
  const shown = page.slice(0, PAGE_SIZE);
  const next = page.length > PAGE_SIZE ? shown.at(-1)?.id : undefined;
  return renderAdminPage(c, {
    title: 'Accounts',
    body: (
      <>
        <div class="page-head">
          <h1>Accounts</h1>
          <a class="button" href="/admin/accounts/new">
            New account
          </a>
        </div>
        <section class="panel">
          <AccountsTable accounts={shown} />
          {(after !== undefined || next !== undefined) && (
            <p class="actions-row">
              {after !== undefined && <a href="/admin/accounts">First page</a>}
              {next !== undefined && (
                <a href={`/admin/accounts?after=${encodeURIComponent(next)}`}>Next page</a>
              )}
            </p>
          )}
        </section>
      </>
    ),
  });
}

function renderForm(
  c: WebContext,
  {
    values,
    isNew,
    error,
    status,
  }: { values: AccountFormValues; isNew: boolean; error?: string; status?: 200 | 400 | 404 | 409 | 422 },
): Promise<Response> {
  const title = isNew ? 'New account' : `Edit account ${values.id}`;
  return renderAdminPage(c, {
    title,
    ...(status === undefined ? {} : { status }),
    body: (
      <>
        <div class="page-head">
          <h1>{title}</h1>
          <a href="/admin/accounts">Back to accounts</a>
        </div>
        <section class="panel">
          <FormError message={error} />
          <AccountForm
            values={values}
            isNew={isNew}
            csrf={c.get('csrfToken')}
            action={isNew ? '/admin/accounts' : `/admin/accounts/${values.id}`}
          />
        </section>
      </>
    ),
  });
}

function refusalStatus(status: number): 400 | 404 | 409 | 422 {
  return status === 404 || status === 409 || status === 422 ? status : 400;
}

/** Registers `/admin/accounts`, `/admin/accounts/new` and `/admin/accounts/{id}` (GET and POST). */
export function registerAccountPages(app: WebApp, deps: WebDeps): void {
  const { accounts } = deps.services;

  app.get('/admin/accounts', (c) => renderList(c, deps));
  app.get('/admin/accounts/new', (c) => renderForm(c, { values: blankAccountForm(), isNew: true }));

  app.post('/admin/accounts', async (c) => {
    const values = accountFormFromFields(await readForm(c));
    try {
      const account = await accounts.create(accountInputFromForm(values), actorOf(c).id);
      c.get('queueFlash')([{ kind: 'success', text: `Registered account ${account.id} (${account.name}).` }]);
      return c.redirect('/admin/accounts', 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return renderForm(c, {
        values,
        isNew: true,
        error: failure.message,
        status: refusalStatus(failure.status),
      });
    }
  });

  app.get('/admin/accounts/:id{[0-9]{12}}', async (c) => {
    const id = c.req.param('id');
    const account = await accounts.get(id);
    if (account === undefined) throw new BrokerError('NotFound', `account ${id} not found`);
    return renderForm(c, { values: accountFormValues(account), isNew: false });
  });

  app.post('/admin/accounts/:id{[0-9]{12}}', async (c) => {
    const id = c.req.param('id');
    const values = { ...accountFormFromFields(await readForm(c)), id };
    try {
      const account = await accounts.update(id, accountPatchFromForm(values), actorOf(c).id);
      c.get('queueFlash')([{ kind: 'success', text: `Saved account ${account.id} (${account.name}).` }]);
      return c.redirect('/admin/accounts', 303);
    } catch (e) {
      const failure = failureOf(e);
      if (failure === undefined) throw e;
      return renderForm(c, {
        values,
        isNew: false,
        error: failure.message,
        status: refusalStatus(failure.status),
      });
    }
  });
}
