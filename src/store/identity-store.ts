import type { IdentityRepos, IdentityTxRepos, InTransaction } from '../identity/ports.ts';
import { createApiTokenRepo } from './api-tokens-repo.ts';
import { createAuditLog } from './audit-events-repo.ts';
import type { Database } from './database.ts';
import type { DbExecutor, DialectName } from './db.ts';
import { createMagicLinkRepo } from './magic-links-repo.ts';
import { createSessionRepo } from './sessions-repo.ts';
import { withTransaction } from './transaction.ts';
import { createUserRepo } from './users-repo.ts';

function reposOver(db: DbExecutor, dialect: DialectName): IdentityRepos {
  return {
    users: createUserRepo(db, dialect),
    tokens: createApiTokenRepo(db, dialect),
    sessions: createSessionRepo(db),
    magicLinks: createMagicLinkRepo(db),
  };
}

/**
 * The identity ports over a database, plus `transaction` running work over repos bound to one transaction with the
 * audit log appending in that same transaction.
 */
export function createIdentityStore(
  database: Database,
): IdentityRepos & { transaction: InTransaction<IdentityTxRepos> } {
  return {
    ...reposOver(database.db, database.dialect),
    transaction: (work) =>
      withTransaction(database.db, (tx) =>
        work({ ...reposOver(tx, database.dialect), audit: createAuditLog(tx) }),
      ),
  };
}
