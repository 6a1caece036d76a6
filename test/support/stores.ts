// Real store adapters for domain tests: domain folders may not import store/ (test/architecture.test.ts),
// so their tests reach the real store through this harness instead.
import type { IdentityRepos, IdentityTxRepos, InTransaction } from '../../src/identity/ports.ts';
import { createIdentityStore } from '../../src/store/identity-store.ts';
import type { DialectContext } from './dialects.ts';

/** The identity ports over the suite's database (call inside hooks or tests). */
export function identityStoreFor(
  ctx: DialectContext,
): IdentityRepos & { transaction: InTransaction<IdentityTxRepos> } {
  return createIdentityStore(ctx.database);
}
