// Ready-made users with credentials for cross-module and HTTP tests, created through the real services.
import { createApiTokenService } from '../../src/identity/api-token-service.ts';
import { createLoginService } from '../../src/identity/login-service.ts';
import type { Role, User } from '../../src/identity/user.ts';
import { createUserService } from '../../src/identity/user-service.ts';
import { type Clock, systemClock } from '../../src/lib/clock.ts';
import type { Database } from '../../src/store/database.ts';
import { createIdentityStore } from '../../src/store/identity-store.ts';

/** A user with a fresh API token (`Authorization: Bearer <token>`) and a session cookie value. */
export interface SeededUser {
  readonly user: User;
  readonly token: string;
  readonly sessionToken: string;
}

/** Creates `id` (default roles `['requester']`) with one API token and one session. */
export async function seedUser(
  database: Database,
  {
    id,
    roles = ['requester'],
    enabled = true,
    clock = systemClock,
  }: { id: string; roles?: readonly Role[]; enabled?: boolean; clock?: Clock },
): Promise<SeededUser> {
  const store = createIdentityStore(database);
  const users = createUserService({ users: store.users, transaction: store.transaction, clock });
  const tokens = createApiTokenService({
    tokens: store.tokens,
    transaction: store.transaction,
    clock,
    maxTokensPerUser: 1000,
  });
  const login = createLoginService({
    magicLinks: store.magicLinks,
    sessions: store.sessions,
    transaction: store.transaction,
    clock,
  });
  const user = await users.create({ id, roles, enabled });
  const { token } = await tokens.create(user.id, { label: 'test' });
  const session = await login.openSession(user);
  return { user, token, sessionToken: session.token };
}
