// Which committed audit events become which observations. One table of rules, so a new audited fact becomes a
// metric here, without touching the domain module that records it.
import type { AuditEvent } from '../audit/audit-event.ts';
import type { MetricsReader } from './ports.ts';

/** Where observations go (the Prometheus instruments of one app). */
export interface AuditSinks {
  /** Seconds from submission to the transition to `approved`. */
  approvalLatency(seconds: number): void;
  /** Seconds from a grant's `not_after` to the confirmed removal of its access in AWS. */
  revocationDelay(seconds: number): void;
  /** One failed provisioning step: `operation` is `provision` or `revoke`, `accountId` the AWS account. */
  provisioningError(operation: 'provision' | 'revoke', accountId: string): void;
}

/** The account label when the grant row cannot be read (deleted, or the lookup failed). */
export const UNKNOWN_ACCOUNT = 'unknown';

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

/**
 * Records what `event` says into `sinks`. Returns a promise when the observation needs a store lookup (it
 * resolves once recorded, and rejects only when the lookup fails), undefined when it was recorded at once or the
 * event is not measured. Rules:
 * - a `request.*` event (not break-glass) whose `data.to_status` is `approved` → approval latency, from the
 *   request's submission time (so auto-approval counts as ≈0 s);
 * - `grant.expired` → revocation delay = event time (AWS access removed, committed) − `data.not_after`;
 * - `grant.provision_failed` → provisioning error `provision`; `alert.grant_revocation_failed` → `revoke`, labelled
 *   with the grant's account.
 */
export function observeAuditEvent(
  event: AuditEvent,
  sinks: AuditSinks,
  reader: Pick<MetricsReader, 'requestSubmittedAt' | 'grantAccountId'>,
): Promise<void> | undefined {
  const { action, subject, data } = event;
  if (
    action.startsWith('request.') &&
    action !== 'request.break_glass' &&
    data.to_status === 'approved' &&
    subject !== null
  ) {
    return reader.requestSubmittedAt(subject).then((submitted) => {
      if (submitted !== undefined) sinks.approvalLatency(seconds(submitted, event.at));
    });
  }
  if (action === 'grant.expired' && typeof data.not_after === 'string') {
    const notAfter = new Date(data.not_after);
    if (!Number.isNaN(notAfter.getTime())) sinks.revocationDelay(seconds(notAfter, event.at));
    return undefined;
  }
  const operation =
    action === 'grant.provision_failed'
      ? 'provision'
      : action === 'alert.grant_revocation_failed'
        ? 'revoke'
        : undefined;
  if (operation !== undefined && subject !== null) {
    const fromData = typeof data.account_id === 'string' ? data.account_id : undefined;
    if (fromData !== undefined) {
      sinks.provisioningError(operation, fromData);
      return undefined;
    }
    return reader.grantAccountId(subject).then(
      (accountId) => sinks.provisioningError(operation, accountId ?? UNKNOWN_ACCOUNT),
      (e: unknown) => {
        sinks.provisioningError(operation, UNKNOWN_ACCOUNT);
        throw e;
      },
    );
  }
  return undefined;
}
