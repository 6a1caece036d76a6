/** A readable diff between two revisions: actions added and removed, resource changes, and the score delta. */
import { diffPolicies, type PolicyDiff } from '../policy/diff.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Revision } from '../requests/request.ts';

/** The diff of two revisions' policies (scores from the stored reviews), or undefined when one does not parse. */
export function revisionDiff(before: Revision, after: Revision): PolicyDiff | undefined {
  const a = parsePolicy(before.policy);
  const b = parsePolicy(after.policy);
  if (!a.ok || !b.ok) return undefined;
  return diffPolicies(a.value.policy, b.value.policy, undefined, { scorer: null });
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

const MAX_ITEMS = 30;

/** The diff from `before` to `after` as lists; the score delta from the revisions' stored risk reviews. */
export function RevisionDiff({ before, after }: { before: Revision; after: Revision }) {
  const diff = revisionDiff(before, after);
  const delta = after.risk.score - before.risk.score;
  return (
    <div class="diff">
      <p>
        <strong>
          Revision {before.number} → {after.number}
        </strong>
        : score {before.risk.score} → {after.risk.score}{' '}
        <span class={delta > 0 ? 'diff-del' : delta < 0 ? 'diff-add' : 'muted'}>({signed(delta)})</span>
      </p>
      {diff === undefined ? (
        <p class="muted">One of the policies could not be parsed; compare them below.</p>
      ) : diff.unchanged ? (
        <p class="muted">No change in granted access.</p>
      ) : (
        <>
          {diff.actionsAdded.length > 0 && (
            <>
              <h4>Actions added</h4>
              <ul class="diff-list">
                {diff.actionsAdded.slice(0, MAX_ITEMS).map((a) => (
                  <li class="diff-add">
                    {a.action} <span class="muted">({a.accessLevel})</span> on {a.resources.join(', ')}
                  </li>
                ))}
              </ul>
            </>
          )}
          {diff.actionsRemoved.length > 0 && (
            <>
              <h4>Actions removed</h4>
              <ul class="diff-list">
                {diff.actionsRemoved.slice(0, MAX_ITEMS).map((a) => (
                  <li class="diff-del">
                    {a.action} <span class="muted">({a.accessLevel})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {diff.resourceChanges.length > 0 && (
            <>
              <h4>Resources changed</h4>
              <ul class="diff-list">
                {diff.resourceChanges.slice(0, MAX_ITEMS).flatMap((r) => [
                  ...r.added.map((res) => (
                    <li class="diff-add">
                      {r.action} on {res}
                    </li>
                  )),
                  ...r.removed.map((res) => (
                    <li class="diff-del">
                      {r.action} on {res}
                    </li>
                  )),
                ])}
              </ul>
            </>
          )}
          {diff.conditionChanges.length > 0 && (
            <p class="small">
              Conditions changed for {diff.conditionChanges.length} action/resource pair
              {diff.conditionChanges.length === 1 ? '' : 's'}.
            </p>
          )}
          <p class="muted small">{diff.summary}</p>
        </>
      )}
    </div>
  );
}
