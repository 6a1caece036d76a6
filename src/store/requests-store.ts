import { buildJob } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { RequestRepos, RequestTransaction, RequestTxRepos } from '../requests/ports.ts';
import { requestTimeoutJob, timeoutJobKey } from '../requests/request-timeout.ts';
import { createAccountRepo } from './accounts-repo.ts';
import { createAuditLog } from './audit-events-repo.ts';
import type { Database } from './database.ts';
import type { DbExecutor, DialectName } from './db.ts';
import { createJobQueue } from './jobs-repo.ts';
import { createRequestRepo } from './requests-repo.ts';
import { withTransaction } from './transaction.ts';

function reposOver(db: DbExecutor, dialect: DialectName): RequestRepos {
  return { requests: createRequestRepo(db, dialect), accounts: createAccountRepo(db, dialect) };
}

/** How approval timeouts become jobs: the clock stamps them, `onEnqueued` wakes the runner. */
export interface TimeoutJobOptions {
  readonly clock: Clock;
  readonly onEnqueued?: (runAt: Date) => void;
}

/** `RequestTxRepos.scheduleTimeout` over a transaction: one `request.timeout` job per request and deadline. */
export function timeoutScheduler(
  tx: DbExecutor,
  options: TimeoutJobOptions,
): NonNullable<RequestTxRepos['scheduleTimeout']> {
  const queue = createJobQueue(tx, options);
  return async (requestId, deadline) => {
    await queue.enqueue(
      buildJob(
        requestTimeoutJob,
        { requestId, deadline: deadline.toISOString() },
        { runAt: deadline, dedupeKey: timeoutJobKey(requestId, deadline) },
      ),
    );
  };
}

/**
 * The request and account ports over a database, plus `transaction` binding them (and the audit log) to one
 * transaction. With `timeouts`, submissions also schedule their approval-timeout jobs in that transaction.
 */
export function createRequestStore(
  database: Database,
  { timeouts }: { timeouts?: TimeoutJobOptions } = {},
): RequestRepos & { transaction: RequestTransaction } {
  return {
    ...reposOver(database.db, database.dialect),
    transaction: (work) =>
      withTransaction(database.db, (tx) =>
        work({
          ...reposOver(tx, database.dialect),
          audit: createAuditLog(tx, { onEnqueued: (at) => timeouts?.onEnqueued?.(at) }),
          ...(timeouts === undefined ? {} : { scheduleTimeout: timeoutScheduler(tx, timeouts) }),
        }),
      ),
  };
}
