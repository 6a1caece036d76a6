// The JSON body of a webhook delivery: the notice in the API's snake_case, nothing rendered, nothing escaped.
import type { Notice } from '../notice.ts';

/** The request snapshot in a webhook payload (`data.request`). */
export interface WebhookRequest {
  readonly id: string;
  readonly status: string;
  readonly requester: { readonly id: string; readonly email: string | null };
  readonly accounts: readonly { readonly id: string; readonly name: string }[];
  readonly justification: string;
  readonly duration_hours: number;
  readonly access_type: string;
  readonly revision: number;
  readonly risk: {
    readonly score: number;
    readonly band: string;
    readonly top_factors: readonly { readonly id: string; readonly title: string; readonly points: number }[];
  };
}

/** The grant snapshot in a webhook payload (`data.grant`), null for request events. */
export interface WebhookGrant {
  readonly id: string;
  readonly account_id: string;
  readonly status: string;
  readonly not_before: string;
  readonly not_after: string;
}

/** A webhook body. `id` is stable across retries: receivers de-duplicate on it. */
export interface WebhookPayload {
  readonly id: string;
  readonly type: string;
  /** ISO 8601 time of the event. */
  readonly created_at: string;
  readonly actor: { readonly id: string; readonly email: string | null };
  readonly message: string | null;
  readonly link: string;
  readonly data: { readonly request: WebhookRequest; readonly grant: WebhookGrant | null };
}

/** The webhook body of a notice (pure; the caller serialises and signs it). */
export function renderWebhookPayload(n: Notice): WebhookPayload {
  const r = n.request;
  return {
    id: n.id,
    type: n.type,
    created_at: n.at,
    actor: { id: n.actor.id, email: n.actor.email },
    message: n.message,
    link: n.link,
    data: {
      request: {
        id: r.id,
        status: r.status,
        requester: { id: r.requester.id, email: r.requester.email },
        accounts: r.accounts.map((a) => ({ id: a.id, name: a.name })),
        justification: r.justification,
        duration_hours: r.durationHours,
        access_type: r.accessType,
        revision: r.revision,
        risk: {
          score: r.risk.score,
          band: r.risk.band,
          top_factors: r.risk.topFactors.map((f) => ({ id: f.id, title: f.title, points: f.points })),
        },
      },
      grant:
        n.grant === null
          ? null
          : {
              id: n.grant.id,
              account_id: n.grant.accountId,
              status: n.grant.status,
              not_before: n.grant.notBefore,
              not_after: n.grant.notAfter,
            },
    },
  };
}
