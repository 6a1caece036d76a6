import type { MagicLinkRepo } from '../identity/ports.ts';
import type { DbExecutor } from './db.ts';

/** The `MagicLinkRepo` port over a connection or a transaction. */
export function createMagicLinkRepo(db: DbExecutor): MagicLinkRepo {
  return {
    async insert(link) {
      await db
        .insertInto('magic_links')
        .values({
          id: link.id,
          token_hash: link.tokenHash,
          user_id: link.userId,
          created_at: link.createdAt.toISOString(),
          expires_at: link.expiresAt.toISOString(),
          consumed_at: link.consumedAt?.toISOString() ?? null,
        })
        .execute();
    },
    async consume(tokenHash, now) {
      // One conditional UPDATE: the row lock (Postgres) or the single writer (SQLite) lets exactly one caller win.
      const row = await db
        .updateTable('magic_links')
        .set({ consumed_at: now.toISOString() })
        .where('token_hash', '=', tokenHash)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now.toISOString())
        .returning('user_id')
        .executeTakeFirst();
      return row?.user_id;
    },
    async findByHash(tokenHash) {
      const row = await db
        .selectFrom('magic_links')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            id: row.id,
            tokenHash: row.token_hash,
            userId: row.user_id,
            createdAt: new Date(row.created_at),
            expiresAt: new Date(row.expires_at),
            consumedAt: row.consumed_at === null ? null : new Date(row.consumed_at),
          };
    },
    async deleteExpired(now) {
      const cutoff = now.toISOString();
      const r = await db
        .deleteFrom('magic_links')
        .where((eb) => eb.or([eb('expires_at', '<=', cutoff), eb('consumed_at', 'is not', null)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
