import { sql } from 'kysely';
import type { ProvisioningMode } from '../accounts/account.ts';
import type { Grant, GrantState } from '../grants/grant.ts';
import type { GrantChange, GrantListQuery, GrantRepo } from '../grants/ports.ts';
import type { DbExecutor } from './db.ts';
import type { GrantRow, GrantsTable } from './grants.table.ts';

const date = (v: string | null): Date | null => (v === null ? null : new Date(v));
const iso = (d: Date | null | undefined): string | null => (d == null ? null : d.toISOString());

function toGrant(r: GrantRow): Grant {
  return {
    id: r.id,
    requestId: r.request_id,
    accountId: r.account_id,
    requesterId: r.requester_id,
    approverIds: JSON.parse(r.approver_ids) as string[],
    revision: Number(r.revision),
    mode: r.mode as ProvisioningMode,
    status: r.status as GrantState,
    policy: JSON.parse(r.policy) as unknown,
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
    roleName: r.role_name,
    roleArn: r.role_arn,
    activatedAt: date(r.activated_at),
    endedAt: date(r.ended_at),
    endReason: r.end_reason,
    revokedBy: r.revoked_by,
    revokeReason: r.revoke_reason,
    version: Number(r.version),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    regions: r.regions === null ? null : (JSON.parse(r.regions) as string[]),
  };
}

/** The `GrantRepo` port over a connection or a transaction. */
export function createGrantRepo(db: DbExecutor): GrantRepo {
  return {
    async insert(g) {
      await db
        .insertInto('grants')
        .values({
          id: g.id,
          request_id: g.requestId,
          account_id: g.accountId,
          requester_id: g.requesterId,
          approver_ids: JSON.stringify(g.approverIds),
          revision: g.revision,
          mode: g.mode,
          status: g.status,
          policy: JSON.stringify(g.policy),
          not_before: g.notBefore.toISOString(),
          not_after: g.notAfter.toISOString(),
          role_name: g.roleName,
          role_arn: g.roleArn,
          activated_at: iso(g.activatedAt),
          ended_at: iso(g.endedAt),
          end_reason: g.endReason,
          revoked_by: g.revokedBy,
          revoke_reason: g.revokeReason,
          version: g.version,
          created_at: g.createdAt.toISOString(),
          updated_at: g.updatedAt.toISOString(),
          regions: g.regions == null ? null : JSON.stringify(g.regions),
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toGrant(row);
    },
    async byRequest(requestId) {
      const rows = await db
        .selectFrom('grants')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toGrant);
    },
    async list(q: GrantListQuery) {
      let s = db.selectFrom('grants').selectAll();
      if (q.status !== undefined) s = s.where('status', '=', q.status);
      if (q.requestId !== undefined) s = s.where('request_id', '=', q.requestId);
      if (q.accountId !== undefined) s = s.where('account_id', '=', q.accountId);
      const after = q.after;
      if (after !== undefined)
        s = s.where((eb) =>
          eb.or([
            eb('created_at', '<', after.createdAt.toISOString()),
            eb.and([eb('created_at', '=', after.createdAt.toISOString()), eb('id', '<', after.id)]),
          ]),
        );
      const v = q.visibleTo;
      if (v !== undefined)
        s = s.where((eb) =>
          v.accountIds.length === 0
            ? eb('requester_id', '=', v.userId)
            : eb.or([eb('requester_id', '=', v.userId), eb('account_id', 'in', [...v.accountIds])]),
        );
      const rows = await s.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      return rows.map(toGrant);
    },
    async countAssignmentLeases({ requesterId, accountId, permissionSetArn, excludeId }) {
      const row = await db
        .selectFrom('grants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('requester_id', '=', requesterId)
        .where('account_id', '=', accountId)
        // A pending grant has no ARN yet, but will take the account's set when provisioned: it holds a lease too
        // (else ending another grant now would remove the assignment that grant is about to rely on).
        .where((eb) =>
          eb.or([
            eb.and([eb('role_arn', '=', permissionSetArn), eb('status', 'in', ['pending', 'active'])]),
            eb.and([eb('role_arn', 'is', null), eb('status', '=', 'pending')]),
          ]),
        )
        .where('id', '<>', excludeId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('grants')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toGrant);
    },
    async byRequests(requestIds) {
      if (requestIds.length === 0) return [];
      const rows = await db
        .selectFrom('grants')
        .selectAll()
        .where('request_id', 'in', [...requestIds])
        .execute();
      return rows.map(toGrant);
    },
    async markRevoking(refs, now) {
      if (refs.length === 0) return new Set();
      const rows = await db
        .updateTable('grants')
        .set({ status: 'revoking', version: sql<number>`version + 1`, updated_at: now.toISOString() })
        .where(({ eb, refTuple, tuple }) =>
          eb(
            refTuple('id', 'version'),
            'in',
            refs.map((r) => tuple(r.id, r.version)),
          ),
        )
        .returning('id')
        .execute();
      return new Set(rows.map((r) => r.id));
    },
    async finishRevoking(ids, at) {
      if (ids.length === 0) return [];
      const stamp = at.toISOString();
      const rows = await db
        .updateTable('grants')
        .set((eb) => ({
          status: eb
            .case()
            .when('revoked_by', 'is not', null)
            .then('revoked')
            .when('end_reason', 'is not', null)
            .then('failed')
            .else('expired')
            .end(),
          ended_at: stamp,
          updated_at: stamp,
          version: sql<number>`version + 1`,
        }))
        .where('id', 'in', [...ids])
        .where('status', '=', 'revoking')
        .returningAll()
        .execute();
      return rows.map(toGrant);
    },
    async update(id, expectedVersion, change: GrantChange, now) {
      const set: Partial<GrantsTable> = {
        status: change.status,
        version: expectedVersion + 1,
        updated_at: now.toISOString(),
      };
      if (change.roleArn !== undefined) set.role_arn = change.roleArn;
      if (change.notAfter !== undefined) set.not_after = change.notAfter.toISOString();
      if (change.activatedAt !== undefined) set.activated_at = iso(change.activatedAt);
      if (change.endedAt !== undefined) set.ended_at = iso(change.endedAt);
      if (change.endReason !== undefined) set.end_reason = change.endReason;
      if (change.revokedBy !== undefined) set.revoked_by = change.revokedBy;
      if (change.revokeReason !== undefined) set.revoke_reason = change.revokeReason;
      const r = await db
        .updateTable('grants')
        .set(set)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
