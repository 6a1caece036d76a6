// Real store adapters for the accounts and requests domains: domain folders may not import store/
// (test/architecture.test.ts), so their tests reach the real store through this harness.
import type { AccountRepo, AccountTransaction } from '../../src/accounts/ports.ts';
import type { AuditReader } from '../../src/audit/ports.ts';
import type { RequestRepos, RequestTransaction } from '../../src/requests/ports.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
import type { DialectContext } from '../support/dialects.ts';

/** The request and account ports over the suite's database (call inside hooks or tests). */
export function requestStoreFor(ctx: DialectContext): RequestRepos & { transaction: RequestTransaction } {
  return createRequestStore(ctx.database);
}

/** The account port and its transaction runner over the suite's database. */
export function accountStoreFor(ctx: DialectContext): {
  accounts: AccountRepo;
  transaction: AccountTransaction;
} {
  const store = createRequestStore(ctx.database);
  return { accounts: store.accounts, transaction: (work) => store.transaction(work) };
}

/** Reads the audit log of the suite's database (to check request changes are audited in their transaction). */
export function auditReaderFor(ctx: DialectContext): AuditReader {
  return createAuditReader(ctx.database.db);
}
