/**
 * One grant of a request as its viewer needs it: status and time left (a countdown while active), for the requester
 * how to use it (`iam-jit creds`, the `~/.aws/config` profile, env exports — never a secret) and the console
 * button, and the revoke and extend forms for those who may use them (the grant service decides).
 */
import type { Grant } from '../grants/grant.ts';
import { grantUsage } from '../grants/plan.ts';
import type { Actor } from '../requests/request-rules.ts';
import { Countdown, StatusBadge, Time, userLabel } from './components.tsx';
import { CsrfField } from './layout.tsx';

/** The usage lines shown on the page: the CLI, env and profile lines of `grantUsage` (the API console line is a button here). */
export function usageSnippet(grant: Grant): string {
  return grantUsage(grant)
    .filter((l) => !l.startsWith('GET /api/'))
    .map((l) =>
      l.startsWith('[profile')
        ? `# ~/.aws/config\n${l}`
        : l.startsWith('eval')
          ? `# environment variables\n${l}`
          : l.startsWith('iam-jit creds')
            ? `# credential_process JSON\n${l}`
            : l,
    )
    .join('\n\n');
}

/** Props: the grant, who looks, and the base path of its actions (`/requests/<id>/grants/<grant>`). */
export function GrantPanel({
  grant,
  actor,
  csrf,
  now,
  maxExtendHours,
}: {
  grant: Grant;
  actor: Actor;
  csrf: string;
  now: Date;
  maxExtendHours: number;
}) {
  const base = `/requests/${grant.requestId}/grants/${grant.id}`;
  const isRequester = grant.requesterId === actor.id;
  const live = grant.status === 'active' || grant.status === 'pending';
  const snippetId = `usage-${grant.id}`;
  return (
    <section class="panel" aria-labelledby={`grant-${grant.id}`}>
      <h2 id={`grant-${grant.id}`}>
        Access to <code>{grant.accountId}</code> <StatusBadge status={grant.status} />
      </h2>
      <dl class="facts">
        <dt>Grant</dt>
        <dd>
          <code>{grant.id}</code>
        </dd>
        {grant.status === 'active' && (
          <>
            <dt>Time left</dt>
            <dd>
              <Countdown until={grant.notAfter} now={now} /> (until <Time at={grant.notAfter} />)
            </dd>
          </>
        )}
        {grant.status !== 'active' && (
          <>
            <dt>Window</dt>
            <dd>
              <Time at={grant.notBefore} /> – <Time at={grant.notAfter} />
            </dd>
          </>
        )}
        {grant.roleArn !== null && (
          <>
            <dt>Role</dt>
            <dd>
              <code>{grant.roleArn}</code>
            </dd>
          </>
        )}
        {grant.revokedBy !== null && (
          <>
            <dt>Revoked by</dt>
            <dd>
              {userLabel(grant.revokedBy)}
              {grant.revokeReason !== null && `: ${grant.revokeReason}`}
            </dd>
          </>
        )}
        {grant.endReason !== null && grant.revokedBy === null && (
          <>
            <dt>Ended</dt>
            <dd>{grant.endReason}</dd>
          </>
        )}
      </dl>
      {grant.status === 'active' && isRequester && (
        <>
          <h3>Use it</h3>
          <p class="small muted">
            The iam-jit CLI fetches short-lived credentials for this grant; no secret is shown on this page.
          </p>
          <pre id={snippetId} class="usage">
            {usageSnippet(grant)}
          </pre>
          <div class="actions-row">
            <button type="button" class="secondary" data-copy={snippetId} hidden>
              Copy
            </button>
            <form method="post" action={`${base}/console`} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Open the AWS console
              </button>
            </form>
          </div>
        </>
      )}
      {live && (
        <div class="grant-actions">
          <form method="post" action={`${base}/revoke`} class="stack" data-confirm="Revoke this access now?">
            <CsrfField token={csrf} />
            <label for={`revoke-reason-${grant.id}`}>Reason for revoking</label>
            <input type="text" id={`revoke-reason-${grant.id}`} name="reason" required maxlength={2000} />
            <button type="submit" class="danger">
              Revoke access
            </button>
          </form>
          {!isRequester && grant.status === 'active' && (
            <form method="post" action={`${base}/extend`} class="stack">
              <CsrfField token={csrf} />
              <label for={`extend-hours-${grant.id}`}>Extend by (hours)</label>
              <input
                type="number"
                id={`extend-hours-${grant.id}`}
                name="hours"
                min={1}
                max={maxExtendHours}
                step={1}
                value="1"
                required
              />
              <label for={`extend-reason-${grant.id}`}>Reason for extending</label>
              <input type="text" id={`extend-reason-${grant.id}`} name="reason" required maxlength={2000} />
              <button type="submit" class="secondary">
                Extend
              </button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
