import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { RequestStatusPort } from '../grants/ports.ts';
import { newId } from '../lib/ids.ts';
import type { RequestEventType } from '../requests/request.ts';
import type { DbExecutor } from './db.ts';

/** The request event of each grant-driven status. */
const EVENT_OF: Readonly<Record<string, RequestEventType>> = {
  active: 'activated',
  expired: 'expired',
  revoked: 'revoked',
  failed: 'failed',
  cancelled: 'cancelled',
};

/**
 * Moves requests as their grants change, conditional on the current status (bumps `version`), and records the move
 * in the request's own history (`request_events`, next `seq`) and in the audit log (`request.<event>`, subject the
 * request), all in the caller's transaction. The UPDATE locks the request row, so the `seq` read after it is safe.
 */
export function createRequestStatusPort(db: DbExecutor, audit: AuditLog): RequestStatusPort {
  const port: RequestStatusPort = {
    async endExtensions(grantId, final, now) {
      const rows = await db
        .selectFrom('requests')
        .select(['id', 'status'])
        .where('extends_grant_id', '=', grantId)
        .where('status', 'in', ['pending', 'changes_requested', 'approved', 'active'])
        .execute();
      for (const r of rows)
        if (r.status === 'approved' || r.status === 'active')
          await port.move(r.id, ['approved', 'active'], final, now, { data: { grant_id: grantId } });
        else
          await port.move(r.id, ['pending', 'changes_requested'], 'cancelled', now, {
            data: { grant_id: grantId, reason: `the grant ended (${final}); nothing left to extend` },
          });
    },
    async move(requestId, from, to, now, cause = {}) {
      const row = await db
        .selectFrom('requests')
        .select('status')
        .where('id', '=', requestId)
        .executeTakeFirst();
      if (row === undefined || !from.includes(row.status)) return false;
      const r = await db
        .updateTable('requests')
        .set((eb) => ({ status: to, version: eb('version', '+', 1), updated_at: now.toISOString() }))
        .where('id', '=', requestId)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      const type = EVENT_OF[to];
      if (type === undefined) return true;
      const seqRow = await db
        .selectFrom('request_events')
        .select((eb) => eb.fn.max('seq').as('n'))
        .where('request_id', '=', requestId)
        .executeTakeFirst();
      const data = JSON.parse(JSON.stringify(cause.data ?? {})) as JsonObject;
      const actor = cause.actorId ?? 'system';
      await db
        .insertInto('request_events')
        .values({
          id: newId('evt'),
          request_id: requestId,
          seq: Number(seqRow?.n ?? 0) + 1,
          actor_id: actor,
          type,
          from_status: row.status,
          to_status: to,
          data: JSON.stringify(data),
          created_at: now.toISOString(),
        })
        .execute();
      await audit.append({
        at: now,
        actor,
        action: `request.${type}`,
        subject: requestId,
        data: { ...data, type, from_status: row.status, to_status: to },
      });
      return true;
    },
  };
  return port;
}
