/** Builds a `Notice` from an audit event (or a grant reminder) and the request/grant it names. */
import type { Account } from '../accounts/account.ts';
import type { Grant } from '../grants/grant.ts';
import type { AccessRequest } from '../requests/request.ts';
import type { Notice, NoticeFactor, NoticeType } from './notice.ts';
import type { NoticeSources, NotifiableEvent } from './ports.ts';

/** A notice with the records it was built from (the dispatcher picks targets from them). */
export interface BuiltNotice {
  readonly notice: Notice;
  readonly request: AccessRequest;
  readonly accounts: readonly Account[];
  readonly grant: Grant | undefined;
}

/** The email address of a user id (`email:alice@x.com` → `alice@x.com`), or null for IAM principals. */
export function emailOf(userId: string): string | null {
  return userId.startsWith('email:') ? userId.slice('email:'.length) : null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * The notice for `type` about `subject` (a request id, or a grant id for `grant.*`), or undefined when the request
 * or grant no longer exists. `id` is the stable notice id; the risk shown is the current revision's, with its three
 * highest-scoring factors; the link is `<baseUrl>/requests/<request id>`.
 */
export async function buildNotice(
  sources: NoticeSources,
  {
    id,
    type,
    event,
    baseUrl,
  }: { id: string; type: NoticeType; event: Omit<NotifiableEvent, 'seq'>; baseUrl: string },
): Promise<BuiltNotice | undefined> {
  if (event.subject === null) return undefined;
  const grant = type.startsWith('grant.') ? await sources.grant(event.subject) : undefined;
  if (type.startsWith('grant.') && grant === undefined) return undefined;
  const requestId = grant?.requestId ?? event.subject;
  const request = await sources.request(requestId);
  if (request === undefined) return undefined;
  const [revision, accounts] = await Promise.all([
    sources.revision(request.id, request.currentRevision),
    sources.accounts.getMany(request.accountIds),
  ]);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const topFactors: NoticeFactor[] = [...(revision?.risk.factors ?? [])]
    .sort((a, b) => b.points - a.points || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((f) => ({ id: f.id, title: f.title, points: f.points }));
  const commentId = text(event.data.comment_id);
  const message =
    text(event.data.comment) ??
    text(event.data.reason) ??
    (commentId === null ? null : ((await sources.commentBody(request.id, commentId)) ?? null));
  const notice: Notice = {
    id,
    type,
    at: event.at.toISOString(),
    actor: { id: event.actor, email: emailOf(event.actor) },
    message,
    link: `${baseUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(request.id)}`,
    request: {
      id: request.id,
      status: grant === undefined ? (text(event.data.to_status) ?? request.status) : request.status,
      requester: { id: request.requesterId, email: emailOf(request.requesterId) },
      accounts: request.accountIds.map((a) => ({ id: a, name: byId.get(a)?.name ?? a })),
      justification: request.justification,
      durationHours: request.durationHours,
      accessType: request.accessType,
      revision: request.currentRevision,
      risk: {
        score: revision?.risk.score ?? 0,
        band: revision?.risk.band ?? 'unknown',
        topFactors,
      },
    },
    grant:
      grant === undefined
        ? null
        : {
            id: grant.id,
            accountId: grant.accountId,
            status: grant.status,
            notBefore: grant.notBefore.toISOString(),
            notAfter: grant.notAfter.toISOString(),
          },
  };
  return { notice, request, accounts, grant };
}
