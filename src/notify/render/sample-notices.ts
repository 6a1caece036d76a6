// Sample notices for renderer tests (and the channel tests that build on them): one plausible notice per type, and a
// hostile variant whose every user-controlled string carries markup, mentions and control characters.
import { NOTICE_TYPES, type Notice, type NoticeType } from '../notice.ts';

const GRANT_TYPES: readonly NoticeType[] = NOTICE_TYPES.filter((t) => t.startsWith('grant.'));
const MESSAGE_TYPES: readonly NoticeType[] = [
  'request.rejected',
  'request.changes_requested',
  'request.commented',
  'request.cancelled',
  'grant.revoked',
  'grant.extended',
  'grant.failed',
];

/** A plausible notice of `type`: grant events carry a grant, reason-bearing events a message. */
export function sampleNotice(type: NoticeType): Notice {
  const byRequester =
    type === 'request.submitted' || type === 'request.break_glass' || type === 'request.revised';
  const system =
    type === 'request.timed_out' ||
    (type.startsWith('grant.') && type !== 'grant.revoked' && type !== 'grant.extended');
  return {
    id: 'evt_42',
    type,
    at: '2026-11-23T16:00:00.000Z',
    actor: byRequester
      ? { id: 'usr_alice', email: 'alice@example.com' }
      : system
        ? { id: 'system', email: null }
        : { id: 'usr_bob', email: 'bob@example.com' },
    message: MESSAGE_TYPES.includes(type) ? 'Scope it to the reports bucket only' : null,
    link: 'https://jit.example.com/requests/req_123',
    request: {
      id: 'req_123',
      status: 'pending',
      requester: { id: 'usr_alice', email: 'alice@example.com' },
      accounts: [{ id: '111122223333', name: 'Production' }],
      justification: 'Investigate INC-7 failing exports',
      durationHours: 2,
      accessType: 'read_only',
      revision: 1,
      risk: {
        score: 7,
        band: 'high',
        topFactors: [
          { id: 'data-read', title: 'Reads data in S3', points: 3 },
          { id: 'wildcard', title: 'Wildcard resource', points: 2 },
        ],
      },
    },
    grant: GRANT_TYPES.includes(type)
      ? {
          id: 'gr_9',
          accountId: '111122223333',
          status: 'active',
          notBefore: '2026-11-23T16:00:00.000Z',
          notAfter: '2026-11-23T18:00:00.000Z',
        }
      : null,
  };
}

/** Hostile text: HTML, Slack mentions and links, Mattermost mentions, Markdown, an entity and a CR/LF. */
export const HOSTILE =
  '<script>alert(1)</script> <!channel> <@U123|x> @all *bold* [x](https://evil.example) &amp;\r\nBcc: x@evil.example';

/** `sampleNotice(type)` with every user-controlled string replaced by hostile text. */
export function hostileNotice(type: NoticeType): Notice {
  const n = sampleNotice(type);
  return {
    ...n,
    actor: n.actor.id === 'system' ? n.actor : { id: n.actor.id, email: `${HOSTILE} actor` },
    message: HOSTILE,
    request: {
      ...n.request,
      requester: { id: 'usr_alice', email: `${HOSTILE} requester` },
      accounts: [{ id: '111122223333', name: `${HOSTILE} account` }],
      justification: HOSTILE,
    },
  };
}
