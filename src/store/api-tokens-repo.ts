import type { ApiTokenRecord, ApiTokenRepo } from '../identity/ports.ts';
import type { ApiTokenRow } from './api-tokens.table.ts';
import type { DbExecutor, DialectName } from './db.ts';
import { runShaped } from './shaped-query.ts';
import { withTransaction } from './transaction.ts';
import { toUser, USER_COLUMNS } from './users-repo.ts';

function toToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    label: row.label,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  };
}

/** The `ApiTokenRepo` port over a connection or a transaction. */
export function createApiTokenRepo(db: DbExecutor, dialect: DialectName): ApiTokenRepo {
  return {
    insertWithinCap: (token, maxPerUser) =>
      withTransaction(db, async (tx) => {
        let owner = tx.selectFrom('users').select('id').where('id', '=', token.userId);
        if (dialect === 'postgres') owner = owner.forUpdate();
        if ((await owner.executeTakeFirst()) === undefined)
          throw new Error(`api token for unknown user ${token.userId}`);
        const row = await tx
          .selectFrom('api_tokens')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', '=', token.userId)
          .executeTakeFirstOrThrow();
        if (Number(row.n) >= maxPerUser) return false;
        await tx
          .insertInto('api_tokens')
          .values({
            token_hash: token.tokenHash,
            user_id: token.userId,
            label: token.label,
            created_at: token.createdAt.toISOString(),
            last_used_at: token.lastUsedAt?.toISOString() ?? null,
          })
          .execute();
        return true;
      }),
    async countForUser(userId) {
      const row = await db
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('token_hash')
        .execute();
      return rows.map(toToken);
    },
    async findWithUser(tokenHash) {
      // Every API call authenticates here: compiled once (shaped-query.ts).
      const [row] = await runShaped(
        db,
        dialect,
        'api_tokens.with_user',
        () =>
          db
            .selectFrom('api_tokens')
            .innerJoin('users', 'users.id', 'api_tokens.user_id')
            .select([
              'api_tokens.token_hash',
              'api_tokens.user_id',
              'api_tokens.label',
              'api_tokens.created_at as token_created_at',
              'api_tokens.last_used_at',
              ...USER_COLUMNS,
            ])
            .where('api_tokens.token_hash', '=', tokenHash),
        [tokenHash],
      );
      if (row === undefined) return undefined;
      return {
        token: toToken({ ...row, created_at: row.token_created_at }),
        user: toUser(row),
      };
    },
    async touch(tokenHash, at, minIntervalMs) {
      const staleBefore = new Date(at.getTime() - minIntervalMs).toISOString();
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: at.toISOString() })
        .where('token_hash', '=', tokenHash)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', staleBefore)]))
        .execute();
    },
    async delete(tokenHash, userId) {
      let q = db.deleteFrom('api_tokens').where('token_hash', '=', tokenHash);
      if (userId !== undefined) q = q.where('user_id', '=', userId);
      const result = await q.executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
