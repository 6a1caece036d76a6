import type { Compilable } from 'kysely';
import type { Account, ProvisioningMode } from '../accounts/account.ts';
import type { AccountRepo } from '../accounts/ports.ts';
import type { AccountRow } from './accounts.table.ts';
import type { DbExecutor, DialectName } from './db.ts';
import { runShaped } from './shaped-query.ts';

function toAccount(row: AccountRow, approvers: readonly string[]): Account {
  return {
    id: row.id,
    name: row.name,
    environment: row.environment,
    provisioningMode: row.provisioning_mode as ProvisioningMode,
    spokeRoleArn: row.spoke_role_arn,
    externalId: row.external_id,
    approvers: [...approvers].sort(),
    requiredApprovals: row.required_approvals,
    maxDurationHours: row.max_duration_hours === null ? null : Number(row.max_duration_hours),
    allowedServices: row.allowed_services === null ? null : (JSON.parse(row.allowed_services) as string[]),
    permissionSetArn: row.permission_set_arn,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toRow(a: Account): AccountRow {
  return {
    id: a.id,
    name: a.name,
    environment: a.environment,
    provisioning_mode: a.provisioningMode,
    spoke_role_arn: a.spokeRoleArn,
    external_id: a.externalId,
    required_approvals: a.requiredApprovals,
    max_duration_hours: a.maxDurationHours,
    allowed_services: a.allowedServices === null ? null : JSON.stringify(a.allowedServices),
    permission_set_arn: a.permissionSetArn,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/** The `AccountRepo` port over a connection or a transaction. */
/**
 * The account port over `db`. With `dialect`, the reads on every request's path (get, getMany and their approvers)
 * are compiled once per dialect (shaped-query.ts).
 */
export function createAccountRepo(db: DbExecutor, dialect?: DialectName): AccountRepo {
  /** Runs a read shaped when the dialect is known, else builds it as usual. */
  const read = <R>(
    key: string,
    build: () => Compilable<R> & { execute(): Promise<R[]> },
    params: unknown[],
  ) => (dialect === undefined ? build().execute() : runShaped(db, dialect, key, build, params));
  async function withApprovers(rows: AccountRow[]): Promise<Account[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const links = await read(
      `account_approvers.in.${ids.length}`,
      () =>
        db.selectFrom('account_approvers').select(['account_id', 'user_id']).where('account_id', 'in', ids),
      ids,
    );
    const by = new Map<string, string[]>();
    for (const l of links) by.set(l.account_id, [...(by.get(l.account_id) ?? []), l.user_id]);
    return rows.map((r) => toAccount(r, by.get(r.id) ?? []));
  }

  async function writeApprovers(account: Account): Promise<void> {
    await db.deleteFrom('account_approvers').where('account_id', '=', account.id).execute();
    if (account.approvers.length > 0)
      await db
        .insertInto('account_approvers')
        .values(account.approvers.map((user_id) => ({ account_id: account.id, user_id })))
        .execute();
  }

  return {
    async get(id) {
      const [row] = await read(
        'accounts.get',
        () => db.selectFrom('accounts').selectAll().where('id', '=', id),
        [id],
      );
      return row && (await withApprovers([row]))[0];
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const list = [...ids];
      return withApprovers(
        await read(
          `accounts.in.${list.length}`,
          () => db.selectFrom('accounts').selectAll().where('id', 'in', list),
          list,
        ),
      );
    },
    async list({ limit = 100, after } = {}) {
      let q = db.selectFrom('accounts').selectAll().orderBy('id').limit(limit);
      if (after !== undefined) q = q.where('id', '>', after);
      return withApprovers(await q.execute());
    },
    async idsApprovedBy(userId) {
      const rows = await db
        .selectFrom('account_approvers')
        .select('account_id')
        .where('user_id', '=', userId)
        .orderBy('account_id')
        .execute();
      return rows.map((r) => r.account_id);
    },
    async insert(account) {
      const result = await db
        .insertInto('accounts')
        .values(toRow(account))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      await writeApprovers(account);
      return true;
    },
    async replace(account) {
      const { id: _id, created_at: _created, ...set } = toRow(account);
      const result = await db
        .updateTable('accounts')
        .set(set)
        .where('id', '=', account.id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await writeApprovers(account);
      return true;
    },
    async delete(id) {
      const result = await db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async isReferenced(id) {
      const row = await db
        .selectFrom('request_accounts')
        .select('request_id')
        .where('account_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async hasLiveGrants(id) {
      const row = await db
        .selectFrom('grants')
        .select('id')
        .where('account_id', '=', id)
        .where('status', 'in', ['pending', 'active', 'revoking'])
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
