import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import { generateApiToken, hashSecret } from './api-token.ts';
import type { ApiTokenRecord, ApiTokenRepo } from './ports.ts';

/** API token use cases. Methods throw BrokerError `InvalidInput`, `TokenLimitReached` or `NotFound`. */
export interface ApiTokenService {
  /** Issues a token for `userId`; the plain token is returned here once and never stored. */
  create(
    userId: string,
    options?: { label?: string | null },
  ): Promise<{ token: string; record: ApiTokenRecord }>;
  /** The user's tokens (hashes, labels, created/last used), newest first. */
  list(userId: string): Promise<ApiTokenRecord[]>;
  /**
   * Revokes a token by hash. With `ownerId` only that user's token matches (others' tokens are `NotFound`, not
   * forbidden, so hashes of other users cannot be probed); without it (admins) any token.
   */
  revoke(tokenHash: string, options?: { ownerId?: string }): Promise<void>;
}

const MAX_LABEL = 100;

/** Creates the token service. `maxTokensPerUser` bounds how many live tokens one user may hold. */
export function createApiTokenService(deps: {
  tokens: ApiTokenRepo;
  clock: Clock;
  maxTokensPerUser: number;
}): ApiTokenService {
  const { tokens, clock, maxTokensPerUser } = deps;
  return {
    async create(userId, { label = null } = {}) {
      const cleanLabel = label === null ? null : label.trim();
      if (cleanLabel !== null && (cleanLabel === '' || cleanLabel.length > MAX_LABEL))
        throw new BrokerError('InvalidInput', `label must be 1-${MAX_LABEL} characters`, {
          details: { field: 'label' },
        });
      const token = generateApiToken();
      const record: ApiTokenRecord = {
        tokenHash: hashSecret(token),
        userId,
        label: cleanLabel,
        createdAt: clock.now(),
        lastUsedAt: null,
      };
      if (!(await tokens.insertWithinCap(record, maxTokensPerUser)))
        throw new BrokerError(
          'TokenLimitReached',
          `at most ${maxTokensPerUser} API tokens per user; revoke one first`,
          {
            details: { limit: maxTokensPerUser },
          },
        );
      return { token, record };
    },
    list: (userId) => tokens.listForUser(userId),
    async revoke(tokenHash, { ownerId } = {}) {
      if (!/^[0-9a-f]{64}$/.test(tokenHash) || !(await tokens.delete(tokenHash, ownerId)))
        throw new BrokerError('NotFound', 'token not found');
    },
  };
}
