/**
 * The request editor (new request, edit, resubmit): accounts, the policy (actions with the picker, pasted JSON, or
 * a service and access levels), access type, duration, start, justification — and beside it the review pane that
 * app.js refreshes as the policy changes (without JavaScript, the Review button re-renders the page).
 */
import type { Account } from '../accounts/account.ts';
import { ACCESS_LEVELS } from '../policy/types.ts';
import type { RequestPreview } from '../requests/request-submit.ts';
import { CsrfField } from './layout.tsx';
import type { RequestFormValues } from './request-form.ts';
import { FactorList, FindingList, PolicyView, ScoreLine } from './risk-views.tsx';

/** What the review pane shows. */
export type ReviewState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'preview'; readonly preview: RequestPreview };

/** The review pane's content (also the HTML fragment app.js fetches). */
export function ReviewPane({ state }: { state: ReviewState }) {
  if (state.kind === 'empty')
    return (
      <>
        <h2 id="review-title">Risk review</h2>
        <p class="muted">
          Pick an account and add actions, a policy or a service to see the risk review here.
        </p>
      </>
    );
  if (state.kind === 'error')
    return (
      <>
        <h2 id="review-title">Risk review</h2>
        <p class="field-error">{state.message}</p>
      </>
    );
  const { preview } = state;
  return (
    <>
      <h2 id="review-title">Risk review</h2>
      {preview.risk !== null ? (
        <ScoreLine risk={preview.risk} />
      ) : (
        <p class="field-error">The policy could not be built, so it has no score yet.</p>
      )}
      <p class={preview.valid ? 'muted small' : 'field-error'}>
        {preview.valid
          ? `Valid for ${preview.accountIds.join(', ')} · ${preview.accessType} · ${preview.durationHours} h`
          : 'The policy has validation errors: submitting it would be refused.'}
      </p>
      {preview.risk !== null && (
        <>
          <h3>Risk factors</h3>
          <FactorList factors={preview.risk.factors} />
          {preview.risk.suggestions.length > 0 && (
            <>
              <h3>Suggestions</h3>
              <ul class="small">
                {preview.risk.suggestions.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <h3>Validation findings</h3>
      <FindingList findings={preview.findings} />
      {preview.draftNotes.length > 0 && (
        <>
          <h3>Drafting notes</h3>
          <ul class="small">
            {preview.draftNotes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </>
      )}
      {preview.policy !== undefined && preview.policy !== null && (
        <details>
          <summary>Policy that would be requested</summary>
          <PolicyView policy={preview.policy} anchor="preview-stmt" />
        </details>
      )}
    </>
  );
}

/** Props of the editor. */
export interface RequestEditorProps {
  readonly csrf: string;
  readonly values: RequestFormValues;
  /** Where the form posts, and where app.js fetches the review fragment. */
  readonly action: string;
  readonly reviewUrl: string;
  /** Accounts to choose from (new request); undefined when the accounts are fixed (edit). */
  readonly accounts: readonly Account[] | undefined;
  readonly maxDurationHours: number;
  readonly requireJustification: boolean;
  /** New requests have accounts and a start time; edits and resubmissions a comment. */
  readonly mode: 'new' | 'edit' | 'resubmit';
  /** The requester may change the justification; an approver's edit may not. */
  readonly showJustification: boolean;
  readonly services: readonly string[];
  readonly review: ReviewState;
  readonly submitLabel: string;
}

function AccountsField({ accounts, values }: { accounts: readonly Account[]; values: RequestFormValues }) {
  return (
    <fieldset>
      <legend>Accounts</legend>
      {accounts.length === 0 && <p class="muted">No accounts are registered yet. Ask an admin to add one.</p>}
      {accounts.map((a) => (
        <label class="check">
          <input type="checkbox" name="account_ids" value={a.id} checked={values.accountIds.includes(a.id)} />
          <span>
            {a.name} <code>{a.id}</code>{' '}
            <span class="muted small">
              ({a.environment}
              {a.maxDurationHours !== null ? `, at most ${a.maxDurationHours} h` : ''})
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function SourceRadio({ value, current, label }: { value: string; current: string; label: string }) {
  return (
    <label class="check">
      <input type="radio" name="source" value={value} checked={current === value} data-source-switch="" />
      <span>{label}</span>
    </label>
  );
}

function PolicyFields({ values, services }: { values: RequestFormValues; services: readonly string[] }) {
  return (
    <>
      <fieldset>
        <legend>How do you want to describe the access?</legend>
        <SourceRadio value="actions" current={values.source} label="Pick the actions I need" />
        <SourceRadio value="policy" current={values.source} label="Paste a policy (JSON)" />
        <SourceRadio value="access_levels" current={values.source} label="A service and access levels" />
      </fieldset>
      <div data-source-panel="actions">
        <div class="picker" hidden data-picker="">
          <label for="action-search">Search actions</label>
          <span class="hint" id="action-search-hint">
            Type part of a name (s3:GetObject, “dynamodb query”); results are grouped by access level.
            Activate one to add it.
          </span>
          <input
            type="search"
            id="action-search"
            autocomplete="off"
            aria-describedby="action-search-hint"
            aria-controls="action-results"
            data-action-search="/requests/new/actions"
            data-target="actions"
            data-status="action-status"
          />
          <p id="action-status" class="visually-hidden" role="status"></p>
          <ul id="action-results" class="picker-results" aria-label="Matching actions"></ul>
        </div>
        <label for="actions">Actions</label>
        <span class="hint" id="actions-hint">
          One per line, e.g. <code>s3:GetObject</code>.
        </span>
        <textarea class="code" id="actions" name="actions" rows={5} aria-describedby="actions-hint">
          {values.actions}
        </textarea>
        <label for="resources">Resources (optional)</label>
        <span class="hint" id="resources-hint">
          ARNs, one per line; empty lets iam-jit draft them from the actions.
        </span>
        <textarea class="code" id="resources" name="resources" rows={3} aria-describedby="resources-hint">
          {values.resources}
        </textarea>
      </div>
      <div data-source-panel="policy">
        <label for="policy">Policy JSON</label>
        <span class="hint" id="policy-hint">
          An IAM identity policy document.
        </span>
        <textarea
          class="code"
          id="policy"
          name="policy"
          rows={14}
          spellcheck={false}
          aria-describedby="policy-hint"
        >
          {values.policy}
        </textarea>
      </div>
      <div data-source-panel="access_levels">
        <label for="service">Service</label>
        <span class="hint" id="service-hint">
          The service prefix, e.g. <code>s3</code>, <code>dynamodb</code>.
        </span>
        <input
          type="text"
          id="service"
          name="service"
          value={values.service}
          list="service-list"
          autocomplete="off"
          aria-describedby="service-hint"
        />
        <datalist id="service-list">
          {services.map((s) => (
            <option value={s} />
          ))}
        </datalist>
        <fieldset>
          <legend>Access levels</legend>
          {ACCESS_LEVELS.map((level) => (
            <label class="check">
              <input
                type="checkbox"
                name="access_levels"
                value={level}
                checked={values.accessLevels.includes(level)}
              />
              <span>{level}</span>
            </label>
          ))}
        </fieldset>
      </div>
    </>
  );
}

/** The whole editor form with its review pane. */
export function RequestEditor(props: RequestEditorProps) {
  const { values, mode } = props;
  return (
    <form method="post" action={props.action} data-review-url={props.reviewUrl}>
      <CsrfField token={props.csrf} />
      <div class="editor-grid">
        <div>
          {props.accounts !== undefined ? (
            <section class="panel">
              <AccountsField accounts={props.accounts} values={values} />
            </section>
          ) : (
            values.accountIds.map((id) => <input type="hidden" name="account_ids" value={id} />)
          )}
          <section class="panel stack-fields">
            <h2>Access</h2>
            <PolicyFields values={values} services={props.services} />
          </section>
          <section class="panel stack-fields">
            <h2>Scope and reason</h2>
            <label class="check">
              <input type="checkbox" name="read_only" value="1" checked={values.readOnly} />
              <span>Read-only (List and Read actions only)</span>
            </label>
            <label for="duration_hours">Duration (hours)</label>
            <span class="hint" id="duration-hint">
              At most {props.maxDurationHours} hours; an account may allow less. The clock starts when access
              is granted.
            </span>
            <input
              type="number"
              id="duration_hours"
              name="duration_hours"
              min={1}
              max={props.maxDurationHours}
              step={1}
              value={values.durationHours}
              aria-describedby="duration-hint"
              required
            />
            {mode === 'new' && (
              <>
                <label for="start_at">Start (UTC, optional)</label>
                <span class="hint" id="start-hint">
                  Empty: as soon as it is approved.
                </span>
                <input
                  type="datetime-local"
                  id="start_at"
                  name="start_at"
                  value={values.startAt}
                  aria-describedby="start-hint"
                />
              </>
            )}
            {props.showJustification ? (
              <>
                <label for="justification">
                  Justification{props.requireJustification ? '' : ' (optional)'}
                </label>
                <span class="hint" id="justification-hint">
                  What you will do with this access, and why now.
                </span>
                <textarea
                  id="justification"
                  name="justification"
                  rows={3}
                  required={props.requireJustification}
                  aria-describedby="justification-hint"
                >
                  {values.justification}
                </textarea>
              </>
            ) : null}
            {mode !== 'new' && (
              <>
                <label for="comment">What changed (optional)</label>
                <textarea id="comment" name="comment" rows={2}>
                  {values.comment}
                </textarea>
              </>
            )}
          </section>
          <div class="actions-row">
            <button type="submit" name="intent" value="review" class="secondary" formnovalidate>
              Review
            </button>
            <button type="submit" name="intent" value="submit">
              {props.submitLabel}
            </button>
          </div>
        </div>
        <aside class="review-pane panel" id="review-pane" aria-labelledby="review-title">
          <ReviewPane state={props.review} />
        </aside>
        <p id="review-status" class="visually-hidden" role="status"></p>
      </div>
    </form>
  );
}
