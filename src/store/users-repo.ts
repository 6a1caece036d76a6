import type { UserPatch, UserRepo } from '../identity/ports.ts';
import { ROLES, type Role, type User } from '../identity/user.ts';
import type { DbExecutor, DialectName } from './db.ts';
import type { UserRow, UserRowUpdate } from './users.table.ts';

/** Column list of `users` qualified for joins. */
export const USER_COLUMNS = [
  'users.id',
  'users.display_name',
  'users.is_requester',
  'users.is_approver',
  'users.is_admin',
  'users.enabled',
  'users.created_at',
  'users.updated_at',
] as const;

const ROLE_COLUMN = { requester: 'is_requester', approver: 'is_approver', admin: 'is_admin' } as const;

/** Maps a `users` row to the domain type. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    displayName: row.display_name,
    roles: ROLES.filter((r) => row[ROLE_COLUMN[r]] === 1),
    enabled: row.enabled === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function roleColumns(roles: readonly Role[]): Pick<UserRow, 'is_requester' | 'is_approver' | 'is_admin'> {
  return {
    is_requester: roles.includes('requester') ? 1 : 0,
    is_approver: roles.includes('approver') ? 1 : 0,
    is_admin: roles.includes('admin') ? 1 : 0,
  };
}

/** The `UserRepo` port over a connection or a transaction. */
export function createUserRepo(db: DbExecutor, dialect: DialectName): UserRepo {
  return {
    async get(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async list({ limit = 100, after, role, enabledOnly = false } = {}) {
      let q = db.selectFrom('users').selectAll().orderBy('id').limit(limit);
      if (after !== undefined) q = q.where('id', '>', after);
      if (role !== undefined) q = q.where(ROLE_COLUMN[role], '=', 1);
      if (enabledOnly) q = q.where('enabled', '=', 1);
      return (await q.execute()).map(toUser);
    },
    async insert(user) {
      const result = await db
        .insertInto('users')
        .values({
          id: user.id,
          display_name: user.displayName,
          ...roleColumns(user.roles),
          enabled: user.enabled ? 1 : 0,
          created_at: user.createdAt.toISOString(),
          updated_at: user.updatedAt.toISOString(),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async update(id, patch: UserPatch, updatedAt) {
      const set: UserRowUpdate = { updated_at: updatedAt.toISOString() };
      if (patch.displayName !== undefined) set.display_name = patch.displayName;
      if (patch.roles !== undefined) Object.assign(set, roleColumns(patch.roles));
      if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
      const row = await db
        .updateTable('users')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toUser(row);
    },
    async delete(id) {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async lockActiveAdminIds() {
      let q = db.selectFrom('users').select('id').where('is_admin', '=', 1).where('enabled', '=', 1);
      if (dialect === 'postgres') q = q.forUpdate();
      return (await q.orderBy('id').execute()).map((r) => r.id);
    },
  };
}
