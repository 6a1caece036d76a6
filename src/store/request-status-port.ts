import { PostgresAdapter } from 'kysely';
import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { RequestMove, RequestStatusPort } from '../grants/ports.ts';
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
 * request), all in the caller's transaction. The UPDATE locks the request rows, so the `seq` read after it is safe.
 * A batch of moves costs the same few statements as one.
 */
export function createRequestStatusPort(db: DbExecutor, audit: AuditLog): RequestStatusPort {
  const port: RequestStatusPort = {
    async endExtensions(ended, now) {
      if (ended.length === 0) return;
      const finalOf = new Map(ended.map((e) => [e.grantId, e.final]));
      const rows = await db
        .selectFrom('requests')
        .select(['id', 'status', 'extends_grant_id'])
        .where('extends_grant_id', 'in', [...finalOf.keys()])
        .where('status', 'in', ['pending', 'changes_requested', 'approved', 'active'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const moves: RequestMove[] = rows.map((r) => {
        const grantId = r.extends_grant_id ?? '';
        const final = finalOf.get(grantId) ?? 'expired';
        return r.status === 'approved' || r.status === 'active'
          ? {
              requestId: r.id,
              from: ['approved', 'active'],
              to: final,
              cause: { data: { grant_id: grantId } },
            }
          : {
              requestId: r.id,
              from: ['pending', 'changes_requested'],
              to: 'cancelled',
              cause: {
                data: { grant_id: grantId, reason: `the grant ended (${final}); nothing left to extend` },
              },
            };
      });
      await port.moveMany(moves, now);
    },
    async lock(requestIds) {
      if (requestIds.length === 0 || !(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      await db
        .selectFrom('requests')
        .select('id')
        .where('id', 'in', [...requestIds])
        .orderBy('id')
        .forUpdate()
        .execute();
    },
    async move(requestId, from, to, now, cause = {}) {
      const [moved] = await port.moveMany([{ requestId, from, to, cause }], now);
      return moved === true;
    },
    async moveMany(moves, now) {
      if (moves.length === 0) return [];
      const ids = moves.map((m) => m.requestId);
      if (new Set(ids).size !== ids.length)
        throw new Error('moveMany: a request may move only once per call');
      const current = new Map(
        (await db.selectFrom('requests').select(['id', 'status']).where('id', 'in', ids).execute()).map(
          (r) => [r.id, r.status],
        ),
      );
      // One UPDATE per (from, to) pair, each conditional on the status just read.
      const groups = new Map<string, { from: string; to: string; ids: string[] }>();
      for (const m of moves) {
        const status = current.get(m.requestId);
        if (status === undefined || !m.from.includes(status)) continue;
        const key = `${status}\n${m.to}`;
        const group = groups.get(key) ?? { from: status, to: m.to, ids: [] };
        group.ids.push(m.requestId);
        groups.set(key, group);
      }
      const moved = new Set<string>();
      for (const g of groups.values()) {
        const rows = await db
          .updateTable('requests')
          .set((eb) => ({ status: g.to, version: eb('version', '+', 1), updated_at: now.toISOString() }))
          .where('id', 'in', g.ids)
          .where('status', '=', g.from)
          .returning('id')
          .execute();
        for (const r of rows) moved.add(r.id);
      }
      const recorded = moves.filter((m) => moved.has(m.requestId) && EVENT_OF[m.to] !== undefined);
      if (recorded.length > 0) {
        const seqRows = await db
          .selectFrom('request_events')
          .select((eb) => ['request_id', eb.fn.max('seq').as('n')])
          .where(
            'request_id',
            'in',
            recorded.map((m) => m.requestId),
          )
          .groupBy('request_id')
          .execute();
        const lastSeq = new Map(seqRows.map((r) => [r.request_id, Number(r.n ?? 0)]));
        const entries = recorded.map((m) => ({
          move: m,
          type: EVENT_OF[m.to] as RequestEventType,
          fromStatus: current.get(m.requestId) ?? '',
          actor: m.cause?.actorId ?? 'system',
          data: JSON.parse(JSON.stringify(m.cause?.data ?? {})) as JsonObject,
        }));
        await db
          .insertInto('request_events')
          .values(
            entries.map((e) => ({
              id: newId('evt'),
              request_id: e.move.requestId,
              seq: (lastSeq.get(e.move.requestId) ?? 0) + 1,
              actor_id: e.actor,
              type: e.type,
              from_status: e.fromStatus,
              to_status: e.move.to,
              data: JSON.stringify(e.data),
              created_at: now.toISOString(),
            })),
          )
          .execute();
        await audit.appendMany(
          entries.map((e) => ({
            at: now,
            actor: e.actor,
            action: `request.${e.type}`,
            subject: e.move.requestId,
            data: { ...e.data, type: e.type, from_status: e.fromStatus, to_status: e.move.to },
          })),
        );
      }
      return moves.map((m) => moved.has(m.requestId));
    },
  };
  return port;
}
