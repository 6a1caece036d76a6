import type { SessionRecord, SessionRepo } from '../identity/ports.ts';
import type { DbExecutor } from './db.ts';
import { toUser, USER_COLUMNS } from './users-repo.ts';

/** The `SessionRepo` port over a connection or a transaction. */
export function createSessionRepo(db: DbExecutor): SessionRepo {
  return {
    async insert(session) {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          token_hash: session.tokenHash,
          user_id: session.userId,
          created_at: session.createdAt.toISOString(),
          expires_at: session.expiresAt.toISOString(),
        })
        .execute();
    },
    async findActiveWithUser(tokenHash, now) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id as session_id',
          'sessions.token_hash',
          'sessions.user_id',
          'sessions.created_at as session_created_at',
          'sessions.expires_at',
          ...USER_COLUMNS,
        ])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now.toISOString())
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const session: SessionRecord = {
        id: row.session_id,
        tokenHash: row.token_hash,
        userId: row.user_id,
        createdAt: new Date(row.session_created_at),
        expiresAt: new Date(row.expires_at),
      };
      return { session, user: toUser(row) };
    },
    async deleteByHash(tokenHash) {
      const r = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async takeByHash(tokenHash) {
      const row = await db
        .deleteFrom('sessions')
        .where('token_hash', '=', tokenHash)
        .returning(['id', 'token_hash', 'user_id', 'created_at', 'expires_at'])
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            id: row.id,
            tokenHash: row.token_hash,
            userId: row.user_id,
            createdAt: new Date(row.created_at),
            expiresAt: new Date(row.expires_at),
          };
    },
    async deleteForUser(userId) {
      const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async deleteExpired(now) {
      const r = await db
        .deleteFrom('sessions')
        .where('expires_at', '<=', now.toISOString())
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
