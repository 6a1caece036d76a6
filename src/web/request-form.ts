/** The request form's fields ↔ the request service's inputs. Pure: no validation beyond shape (the service validates). */
import type { PolicySpec } from '../requests/policy-review.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import type { EditInput, SubmitInput } from '../requests/request-input.ts';
import type { FormFields } from './page.tsx';

/** How the policy is given. */
export const POLICY_SOURCES = ['actions', 'policy', 'access_levels'] as const;
export type PolicySourceChoice = (typeof POLICY_SOURCES)[number];

/** What the form shows (as typed, so a refused submission re-renders unchanged). */
export interface RequestFormValues {
  accountIds: string[];
  source: PolicySourceChoice;
  /** One action per line (or separated by commas/spaces). */
  actions: string;
  /** One resource ARN per line; empty = let the drafter choose. */
  resources: string;
  policy: string;
  service: string;
  accessLevels: string[];
  readOnly: boolean;
  justification: string;
  durationHours: string;
  /** `YYYY-MM-DDTHH:MM` in UTC, or ''. */
  startAt: string;
  /** Why it changed (edits and resubmissions). */
  comment: string;
}

/** An empty form with the configured default duration. */
export function emptyRequestForm(defaultDurationHours: number): RequestFormValues {
  return {
    accountIds: [],
    source: 'actions',
    actions: '',
    resources: '',
    policy: '',
    service: '',
    accessLevels: [],
    readOnly: false,
    justification: '',
    durationHours: String(defaultDurationHours),
    startAt: '',
    comment: '',
  };
}

/** Splits a list typed one per line (commas and blanks also separate). */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads the form's fields. */
export function requestFormValues(form: FormFields): RequestFormValues {
  const source = form.text('source');
  return {
    accountIds: form.all('account_ids'),
    source: (POLICY_SOURCES as readonly string[]).includes(source)
      ? (source as PolicySourceChoice)
      : 'actions',
    actions: form.raw('actions'),
    resources: form.raw('resources'),
    policy: form.raw('policy'),
    service: form.text('service'),
    accessLevels: form.all('access_levels'),
    readOnly: form.has('read_only'),
    justification: form.raw('justification'),
    durationHours: form.text('duration_hours'),
    startAt: form.text('start_at'),
    comment: form.raw('comment'),
  };
}

/** The policy spec the values describe. */
export function policySpecOf(v: RequestFormValues): PolicySpec {
  if (v.source === 'policy') return { type: 'policy', policy: v.policy };
  if (v.source === 'access_levels')
    return { type: 'access_levels', service: v.service.toLowerCase(), accessLevels: v.accessLevels };
  const resources = splitList(v.resources);
  return { type: 'actions', actions: splitList(v.actions), ...(resources.length > 0 ? { resources } : {}) };
}

/** True when no policy has been given yet (nothing to review). */
export function isPolicyEmpty(v: RequestFormValues): boolean {
  if (v.source === 'policy') return v.policy.trim() === '';
  if (v.source === 'access_levels') return v.service === '' || v.accessLevels.length === 0;
  return splitList(v.actions).length === 0;
}

function durationOf(text: string): number | undefined {
  return text === '' ? undefined : Number(text);
}

/** `YYYY-MM-DDTHH:MM` (UTC, from `<input type=datetime-local>`) → ISO-8601; '' → null; anything else as typed. */
export function startAtOf(text: string): string | null {
  if (text === '') return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)
    ? `${text}${text.length === 16 ? ':00' : ''}Z`
    : text;
}

/** The submission the values describe. */
export function submitInputOf(v: RequestFormValues): SubmitInput {
  return {
    accountIds: v.accountIds,
    spec: policySpecOf(v),
    accessType: v.readOnly ? 'read-only' : 'read-write',
    justification: v.justification,
    durationHours: durationOf(v.durationHours),
    startAt: startAtOf(v.startAt),
  };
}

/**
 * The edit or resubmission the values describe: policy, access type, duration and the comment; the justification
 * only when the form carried it (the requester's). Accounts and start time keep their values.
 */
export function editInputOf(v: RequestFormValues, { justification }: { justification: boolean }): EditInput {
  return {
    spec: policySpecOf(v),
    accessType: v.readOnly ? 'read-only' : 'read-write',
    durationHours: durationOf(v.durationHours),
    ...(justification ? { justification: v.justification } : {}),
    ...(v.comment.trim() !== '' ? { comment: v.comment.trim() } : {}),
  };
}

/** The form pre-filled from a request's current revision (to edit it): the policy as JSON. */
export function valuesFromRevision(request: AccessRequest, revision: Revision): RequestFormValues {
  return {
    accountIds: [...request.accountIds],
    source: 'policy',
    actions: '',
    resources: '',
    policy: JSON.stringify(revision.policy, null, 2),
    service: '',
    accessLevels: [],
    readOnly: request.accessType === 'read-only',
    justification: request.justification,
    durationHours: String(request.durationHours),
    startAt: request.startAt === null ? '' : request.startAt.toISOString().slice(0, 16),
    comment: '',
  };
}
