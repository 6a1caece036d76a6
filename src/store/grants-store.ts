import type { Transaction } from 'kysely';
import { extendGrantOnApproval } from '../grants/grant-extension.ts';
import type { ApprovedRequest } from '../grants/grant-lifecycle.ts';
import { createGrantsForApproval } from '../grants/grant-lifecycle.ts';
import type { GrantRepo, GrantTransaction, GrantTxRepos } from '../grants/ports.ts';
import type { Clock } from '../lib/clock.ts';
import type { RequestTransaction } from '../requests/ports.ts';
import { createAccountRepo } from './accounts-repo.ts';
import { createAuditLog } from './audit-events-repo.ts';
import type { Database } from './database.ts';
import type { Db } from './db.ts';
import { createGrantRepo } from './grants-repo.ts';
import { createJobQueue } from './jobs-repo.ts';
import { createRequestStatusPort } from './request-status-port.ts';
import { createRequestRepo } from './requests-repo.ts';
import { timeoutScheduler } from './requests-store.ts';
import { withTransaction } from './transaction.ts';

/** Options of the grant store: the clock for job timestamps and the runner's wake-up hook. */
export interface GrantStoreOptions {
  readonly clock: Clock;
  /** Called after a job is enqueued (e.g. `runner.wake`); may be set later, before the first enqueue. */
  onEnqueued?: (runAt: Date) => void;
  /** The deployment's longest grant in hours (`IAM_JIT_MAX_DURATION_HOURS`), checked when an extension is approved. */
  readonly maxDurationHours?: number;
}

/** `IAM_JIT_MAX_DURATION_HOURS`' default. */
const DEFAULT_MAX_HOURS = 12;

function txRepos(tx: Transaction<Db>, options: GrantStoreOptions): GrantTxRepos {
  const audit = createAuditLog(tx, { onEnqueued: (at) => options.onEnqueued?.(at) });
  return {
    grants: createGrantRepo(tx),
    jobs: createJobQueue(tx, { clock: options.clock, onEnqueued: (at) => options.onEnqueued?.(at) }),
    audit,
    requests: createRequestStatusPort(tx, audit),
  };
}

/** The grant ports over a database, plus `transaction` binding grants, jobs, audit and request status to one. */
export function createGrantStore(
  database: Database,
  options: GrantStoreOptions,
): { grants: GrantRepo; transaction: GrantTransaction } {
  return {
    grants: createGrantRepo(database.db),
    transaction: (work) => withTransaction(database.db, (tx) => work(txRepos(tx, options))),
  };
}

/**
 * The request service's transaction with the grants hand-off attached: when an approval moves a request to
 * `approved`, its grants and their provisioning jobs are written in the same transaction.
 */
export function createRequestTransactionWithGrants(
  database: Database,
  options: GrantStoreOptions,
): RequestTransaction {
  return (work) =>
    withTransaction(database.db, (tx) => {
      const grantRepos = txRepos(tx, options);
      return work({
        requests: createRequestRepo(tx, database.dialect),
        accounts: createAccountRepo(tx, database.dialect),
        audit: grantRepos.audit,
        onApproved: (approved: ApprovedRequest & { actorId?: string }) =>
          approved.request.extendsGrantId
            ? extendGrantOnApproval(grantRepos, approved, {
                maxDurationHours: options.maxDurationHours ?? DEFAULT_MAX_HOURS,
              })
            : createGrantsForApproval(grantRepos, approved).then(() => {}),
        scheduleTimeout: timeoutScheduler(tx, options),
      });
    });
}
