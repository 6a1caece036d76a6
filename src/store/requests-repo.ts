import type { Finding } from '../policy/types.ts';
import type { RequestListQuery, RequestRepo } from '../requests/ports.ts';
import type {
  AccessRequest,
  AccessType,
  Comment,
  PolicySource,
  RequestEvent,
  RequestEventType,
  Review,
  ReviewDecision,
  Revision,
  RevisionRisk,
} from '../requests/request.ts';
import type { RequestStatus } from '../requests/request-state.ts';
import type { DbExecutor, DialectName } from './db.ts';
import type {
  CommentRow,
  EventRow,
  RequestRow,
  RequestsTable,
  ReviewRow,
  RevisionRow,
} from './requests.table.ts';
import { runShaped } from './shaped-query.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const date = (s: string | null): Date | null => (s === null ? null : new Date(s));

function toRequest(row: RequestRow, accountIds: readonly string[]): AccessRequest {
  return {
    id: row.id,
    requesterId: row.requester_id,
    status: row.status as RequestStatus,
    version: Number(row.version),
    accountIds: [...accountIds].sort(),
    currentRevision: Number(row.current_revision),
    accessType: row.access_type as AccessType,
    justification: row.justification,
    durationHours: Number(row.duration_hours),
    startAt: date(row.start_at),
    callbackUrl: row.callback_url,
    ticket: row.ticket,
    tags: JSON.parse(row.tags) as Record<string, string>,
    approvalDeadline: date(row.approval_deadline),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    regions: row.regions === null ? null : (JSON.parse(row.regions) as string[]),
    extendsGrantId: row.extends_grant_id,
  };
}

function toRevision(row: RevisionRow): Revision {
  return {
    requestId: row.request_id,
    number: Number(row.number),
    authorId: row.author_id,
    policy: JSON.parse(row.policy) as unknown,
    source: JSON.parse(row.source) as PolicySource,
    draftNotes: JSON.parse(row.draft_notes) as string[],
    findings: JSON.parse(row.findings) as Finding[],
    risk: JSON.parse(row.risk) as RevisionRisk,
    createdAt: new Date(row.created_at),
  };
}

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    requestId: row.request_id,
    revision: Number(row.revision),
    reviewerId: row.reviewer_id,
    decision: row.decision as ReviewDecision,
    comment: row.comment,
    countsFor: JSON.parse(row.counts_for) as string[],
    createdAt: new Date(row.created_at),
  };
}

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    requestId: row.request_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: new Date(row.created_at),
  };
}

function toEvent(row: EventRow): RequestEvent {
  return {
    id: row.id,
    requestId: row.request_id,
    seq: Number(row.seq),
    actorId: row.actor_id,
    type: row.type as RequestEventType,
    fromStatus: row.from_status as RequestStatus | null,
    toStatus: row.to_status as RequestStatus,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
  };
}

/** The `RequestRepo` port over a connection or a transaction. */
export function createRequestRepo(db: DbExecutor, dialect: DialectName): RequestRepo {
  async function withAccounts(rows: RequestRow[]): Promise<AccessRequest[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const links = await runShaped(
      db,
      dialect,
      `request_accounts.in.${ids.length}`,
      () =>
        db.selectFrom('request_accounts').select(['request_id', 'account_id']).where('request_id', 'in', ids),
      ids,
    );
    const by = new Map<string, string[]>();
    for (const l of links) by.set(l.request_id, [...(by.get(l.request_id) ?? []), l.account_id]);
    return rows.map((r) => toRequest(r, by.get(r.id) ?? []));
  }

  return {
    async insert(r) {
      await db
        .insertInto('requests')
        .values({
          id: r.id,
          requester_id: r.requesterId,
          status: r.status,
          version: r.version,
          current_revision: r.currentRevision,
          access_type: r.accessType,
          justification: r.justification,
          duration_hours: r.durationHours,
          start_at: iso(r.startAt),
          callback_url: r.callbackUrl,
          ticket: r.ticket,
          tags: JSON.stringify(r.tags),
          approval_deadline: iso(r.approvalDeadline),
          created_at: r.createdAt.toISOString(),
          updated_at: r.updatedAt.toISOString(),
          regions: r.regions == null ? null : JSON.stringify(r.regions),
          extends_grant_id: r.extendsGrantId ?? null,
        })
        .execute();
      await db
        .insertInto('request_accounts')
        .values(r.accountIds.map((account_id) => ({ request_id: r.id, account_id })))
        .execute();
    },
    async get(id) {
      const [row] = await runShaped(
        db,
        dialect,
        'requests.get',
        () => db.selectFrom('requests').selectAll().where('id', '=', id),
        [id],
      );
      return row && (await withAccounts([row]))[0];
    },
    async transition(id, expectedVersion, change, updatedAt) {
      const set: Partial<RequestsTable> = {
        status: change.status,
        version: expectedVersion + 1,
        updated_at: updatedAt.toISOString(),
      };
      if (change.currentRevision !== undefined) set.current_revision = change.currentRevision;
      if (change.accessType !== undefined) set.access_type = change.accessType;
      if (change.justification !== undefined) set.justification = change.justification;
      if (change.durationHours !== undefined) set.duration_hours = change.durationHours;
      if (change.startAt !== undefined) set.start_at = iso(change.startAt);
      if (change.approvalDeadline !== undefined) set.approval_deadline = iso(change.approvalDeadline);
      const result = await db
        .updateTable('requests')
        .set(set)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async list(q: RequestListQuery) {
      let s = db.selectFrom('requests').selectAll('requests');
      if (q.requesterId !== undefined) s = s.where('requests.requester_id', '=', q.requesterId);
      if (q.notRequesterId !== undefined) s = s.where('requests.requester_id', '<>', q.notRequesterId);
      if (q.status !== undefined) s = s.where('requests.status', '=', q.status);
      const { accountId, visibleTo, notApprovedBy, after } = q;
      if (accountId !== undefined)
        s = s.where((eb) =>
          eb.exists(
            eb
              .selectFrom('request_accounts as ra')
              .select('ra.request_id')
              .whereRef('ra.request_id', '=', 'requests.id')
              .where('ra.account_id', '=', accountId),
          ),
        );
      if (visibleTo !== undefined) {
        const ids = [...visibleTo.accountIds];
        s = s.where((eb) =>
          ids.length === 0
            ? eb('requests.requester_id', '=', visibleTo.userId)
            : eb.or([
                eb('requests.requester_id', '=', visibleTo.userId),
                eb.exists(
                  eb
                    .selectFrom('request_accounts as rv')
                    .select('rv.request_id')
                    .whereRef('rv.request_id', '=', 'requests.id')
                    .where('rv.account_id', 'in', ids),
                ),
              ]),
        );
      }
      if (notApprovedBy !== undefined)
        s = s.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('request_reviews as rr')
                .select('rr.id')
                .whereRef('rr.request_id', '=', 'requests.id')
                .whereRef('rr.revision', '=', 'requests.current_revision')
                .where('rr.reviewer_id', '=', notApprovedBy)
                .where('rr.decision', '=', 'approve'),
            ),
          ),
        );
      if (after !== undefined) {
        const at = after.createdAt.toISOString();
        s = s.where((eb) =>
          eb.or([
            eb('requests.created_at', '<', at),
            eb.and([eb('requests.created_at', '=', at), eb('requests.id', '<', after.id)]),
          ]),
        );
      }
      const rows = await s
        .orderBy('requests.created_at', 'desc')
        .orderBy('requests.id', 'desc')
        .limit(q.limit)
        .execute();
      return withAccounts(rows);
    },
    async countByRequester(requesterId, statuses) {
      if (dialect === 'postgres' && db.isTransaction)
        await db.selectFrom('users').select('id').where('id', '=', requesterId).forUpdate().execute();
      const row = await db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('requester_id', '=', requesterId)
        .where('status', 'in', [...statuses])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insertRevision(r) {
      await db
        .insertInto('request_revisions')
        .values({
          request_id: r.requestId,
          number: r.number,
          author_id: r.authorId,
          policy: JSON.stringify(r.policy),
          source: JSON.stringify(r.source),
          draft_notes: JSON.stringify(r.draftNotes),
          findings: JSON.stringify(r.findings),
          risk: JSON.stringify(r.risk),
          created_at: r.createdAt.toISOString(),
        })
        .execute();
    },
    async revisions(requestId) {
      const rows = await runShaped(
        db,
        dialect,
        'request_revisions.of',
        () =>
          db
            .selectFrom('request_revisions')
            .selectAll()
            .where('request_id', '=', requestId)
            .orderBy('number'),
        [requestId],
      );
      return rows.map(toRevision);
    },
    async revision(requestId, number) {
      const row = await db
        .selectFrom('request_revisions')
        .selectAll()
        .where('request_id', '=', requestId)
        .where('number', '=', number)
        .executeTakeFirst();
      return row && toRevision(row);
    },
    async insertReview(r) {
      await db
        .insertInto('request_reviews')
        .values({
          id: r.id,
          request_id: r.requestId,
          revision: r.revision,
          reviewer_id: r.reviewerId,
          decision: r.decision,
          comment: r.comment,
          counts_for: JSON.stringify(r.countsFor),
          created_at: r.createdAt.toISOString(),
        })
        .execute();
    },
    async reviews(requestId) {
      const rows = await runShaped(
        db,
        dialect,
        'request_reviews.of',
        () =>
          db
            .selectFrom('request_reviews')
            .selectAll()
            .where('request_id', '=', requestId)
            .orderBy('created_at')
            .orderBy('id'),
        [requestId],
      );
      return rows.map(toReview);
    },
    async insertComment(c, seq) {
      await db
        .insertInto('request_comments')
        .values({
          id: c.id,
          request_id: c.requestId,
          author_id: c.authorId,
          body: c.body,
          seq,
          created_at: c.createdAt.toISOString(),
        })
        .execute();
    },
    async comments(requestId) {
      const rows = await runShaped(
        db,
        dialect,
        'request_comments.of',
        () =>
          db.selectFrom('request_comments').selectAll().where('request_id', '=', requestId).orderBy('seq'),
        [requestId],
      );
      return rows.map(toComment);
    },
    async lock(id) {
      if (dialect === 'postgres')
        await db.selectFrom('requests').select('id').where('id', '=', id).forUpdate().execute();
    },
    async nextEventSeq(requestId) {
      const row = await db
        .selectFrom('request_events')
        .select((eb) => eb.fn.max('seq').as('n'))
        .where('request_id', '=', requestId)
        .executeTakeFirst();
      return Number(row?.n ?? 0) + 1;
    },
    async appendEvent(e) {
      await db
        .insertInto('request_events')
        .values({
          id: e.id,
          request_id: e.requestId,
          seq: e.seq,
          actor_id: e.actorId,
          type: e.type,
          from_status: e.fromStatus,
          to_status: e.toStatus,
          data: JSON.stringify(e.data),
          created_at: e.createdAt.toISOString(),
        })
        .execute();
    },
    async events(requestId) {
      const rows = await runShaped(
        db,
        dialect,
        'request_events.of',
        () => db.selectFrom('request_events').selectAll().where('request_id', '=', requestId).orderBy('seq'),
        [requestId],
      );
      return rows.map(toEvent);
    },
  };
}
