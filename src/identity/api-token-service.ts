import { SYSTEM_ACTOR } from '../audit/audit-event.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import { generateApiToken, hashSecret } from './api-token.ts';
import type { ApiTokenRecord, ApiTokenRepo, InTransaction } from './ports.ts';

/**
 * API token use cases. Methods throw BrokerError `InvalidInput`, `TokenLimitReached` or `NotFound`. Minting and
 * revoking are audited in the same transaction (`token.minted`, `token.revoked`, subject the owner, data the
 * token's public id `token_hash` and label — never the token).
 */
export interface ApiTokenService {
  /**
   * Issues a token for `userId`; the plain token is returned here once and never stored. `actor` (default the
   * owner) is who minted it.
   */
  create(
    userId: string,
    options?: { label?: string | null; actor?: string },
  ): Promise<{ token: string; record: ApiTokenRecord }>;
  /** The user's tokens (hashes, labels, created/last used), newest first. */
  list(userId: string): Promise<ApiTokenRecord[]>;
  /**
   * Revokes a token by hash. With `ownerId` only that user's token matches (others' tokens are `NotFound`, not
   * forbidden, so hashes of other users cannot be probed); without it (admins) any token. `actor` (default
   * `ownerId`, else `system`) is who revoked it.
   */
  revoke(tokenHash: string, options?: { ownerId?: string; actor?: string }): Promise<void>;
}

const MAX_LABEL = 100;

/** Creates the token service. `maxTokensPerUser` bounds how many live tokens one user may hold. */
export function createApiTokenService(deps: {
  tokens: ApiTokenRepo;
  /** Runs work over the token repo and the audit log bound to one transaction. */
  transaction: InTransaction<{ tokens: ApiTokenRepo; audit: AuditLog }>;
  clock: Clock;
  maxTokensPerUser: number;
}): ApiTokenService {
  const { tokens, transaction, clock, maxTokensPerUser } = deps;
  return {
    async create(userId, { label = null, actor = userId } = {}) {
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
      await transaction(async (repos) => {
        if (!(await repos.tokens.insertWithinCap(record, maxTokensPerUser)))
          throw new BrokerError(
            'TokenLimitReached',
            `at most ${maxTokensPerUser} API tokens per user; revoke one first`,
            {
              details: { limit: maxTokensPerUser },
            },
          );
        await repos.audit.append({
          at: record.createdAt,
          actor,
          action: 'token.minted',
          subject: userId,
          data: { token_hash: record.tokenHash, label: cleanLabel },
        });
      });
      return { token, record };
    },
    list: (userId) => tokens.listForUser(userId),
    async revoke(tokenHash, { ownerId, actor = ownerId ?? SYSTEM_ACTOR } = {}) {
      if (!/^[0-9a-f]{64}$/.test(tokenHash)) throw new BrokerError('NotFound', 'token not found');
      await transaction(async (repos) => {
        const found = await repos.tokens.findWithUser(tokenHash);
        if (found === undefined || !(await repos.tokens.delete(tokenHash, ownerId)))
          throw new BrokerError('NotFound', 'token not found');
        await repos.audit.append({
          at: clock.now(),
          actor,
          action: 'token.revoked',
          subject: found.token.userId,
          data: { token_hash: tokenHash, label: found.token.label },
        });
      });
    },
  };
}
