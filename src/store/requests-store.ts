import type { RequestRepos, RequestTransaction } from '../requests/ports.ts';
import { createAccountRepo } from './accounts-repo.ts';
import { createAuditLog } from './audit-events-repo.ts';
import type { Database } from './database.ts';
import type { DbExecutor, DialectName } from './db.ts';
import { createRequestRepo } from './requests-repo.ts';
import { withTransaction } from './transaction.ts';

function reposOver(db: DbExecutor, dialect: DialectName): RequestRepos {
  return { requests: createRequestRepo(db, dialect), accounts: createAccountRepo(db) };
}

/**
 * The request and account ports over a database, plus `transaction` binding them (and the audit log) to one
 * transaction.
 */
export function createRequestStore(database: Database): RequestRepos & { transaction: RequestTransaction } {
  return {
    ...reposOver(database.db, database.dialect),
    transaction: (work) =>
      withTransaction(database.db, (tx) =>
        work({ ...reposOver(tx, database.dialect), audit: createAuditLog(tx) }),
      ),
  };
}
