// The wording of notices, shared by every channel: one headline and one summary sentence per notice type. Channels
// pass their own escaper, applied to every value that came from a user (emails, account names), never to our words.
import type { Notice, NoticeType } from '../notice.ts';

/** Escapes one user-supplied value for a channel's markup. */
export type Escape = (text: string) => string;

/** The values a summary sentence may name, already escaped for the channel. */
interface Parts {
  readonly actor: string;
  readonly requester: string;
  readonly accounts: string;
  readonly grantAccount: string;
  readonly accessType: string;
  readonly duration: string;
  readonly risk: string;
  readonly notAfter: string;
  readonly revision: string;
}

interface Wording {
  readonly headline: string;
  /** What the notice's `message` is, when it has one (`Reason`, `Requested changes`, …). */
  readonly messageLabel: string;
  readonly summary: (p: Parts) => string;
}

const WORDING: Readonly<Record<NoticeType, Wording>> = {
  'request.submitted': {
    headline: 'Access request awaiting approval',
    messageLabel: 'Note',
    summary: (p) =>
      `${p.requester} requests ${p.accessType} access to ${p.accounts} for ${p.duration}. Risk ${p.risk}.`,
  },
  'request.approved': {
    headline: 'Access request approved',
    messageLabel: 'Comment',
    summary: (p) => `${p.actor} approved the request by ${p.requester} for ${p.accounts}.`,
  },
  'request.rejected': {
    headline: 'Access request rejected',
    messageLabel: 'Reason',
    summary: (p) => `${p.actor} rejected the request by ${p.requester} for ${p.accounts}.`,
  },
  'request.changes_requested': {
    headline: 'Changes requested on access request',
    messageLabel: 'Requested changes',
    summary: (p) => `${p.actor} asked ${p.requester} for changes to the request for ${p.accounts}.`,
  },
  'request.revised': {
    headline: 'Access request revised',
    messageLabel: 'Comment',
    summary: (p) => `${p.actor} revised the request for ${p.accounts} (revision ${p.revision}).`,
  },
  'request.cancelled': {
    headline: 'Access request cancelled',
    messageLabel: 'Reason',
    summary: (p) => `${p.actor} cancelled the request for ${p.accounts}.`,
  },
  'request.timed_out': {
    headline: 'Access request timed out',
    messageLabel: 'Note',
    summary: (p) => `The request by ${p.requester} for ${p.accounts} timed out before it was approved.`,
  },
  'request.commented': {
    headline: 'New comment on access request',
    messageLabel: 'Comment',
    summary: (p) => `${p.actor} commented on the request by ${p.requester} for ${p.accounts}.`,
  },
  'request.break_glass': {
    headline: 'BREAK-GLASS access used',
    messageLabel: 'Reason',
    summary: (p) =>
      `${p.requester} used break-glass to get ${p.accessType} access to ${p.accounts} for ${p.duration} without approval. Risk ${p.risk}.`,
  },
  'grant.activated': {
    headline: 'Access granted',
    messageLabel: 'Note',
    summary: (p) => `${p.requester} has ${p.accessType} access to ${p.grantAccount} until ${p.notAfter}.`,
  },
  'grant.expiring': {
    headline: 'Access expires in 15 minutes',
    messageLabel: 'Note',
    summary: (p) => `Access of ${p.requester} to ${p.grantAccount} expires in 15 minutes, at ${p.notAfter}.`,
  },
  'grant.expired': {
    headline: 'Access expired',
    messageLabel: 'Note',
    summary: (p) => `Access of ${p.requester} to ${p.grantAccount} expired at ${p.notAfter}.`,
  },
  'grant.revoked': {
    headline: 'Access revoked',
    messageLabel: 'Reason',
    summary: (p) => `${p.actor} revoked the access of ${p.requester} to ${p.grantAccount}.`,
  },
  'grant.extended': {
    headline: 'Access extended',
    messageLabel: 'Reason',
    summary: (p) =>
      `${p.actor} extended the access of ${p.requester} to ${p.grantAccount} until ${p.notAfter}.`,
  },
  'grant.failed': {
    headline: 'Access provisioning failed',
    messageLabel: 'Error',
    summary: (p) => `Access of ${p.requester} to ${p.grantAccount} could not be provisioned.`,
  },
};

/** The short headline of a notice type (`Access request awaiting approval`); our words only, no user text. */
export function headline(n: Notice): string {
  return WORDING[n.type].headline;
}

/** What a notice's `message` means for its type (`Reason`, `Requested changes`, `Comment`, …). */
export function messageLabel(n: Notice): string {
  return WORDING[n.type].messageLabel;
}

/** True for the notice types that must be loud (break-glass): channels mention everyone present. */
export function isLoud(n: Notice): boolean {
  return n.type === 'request.break_glass';
}

/** One sentence saying what happened, with every user-supplied value passed through `esc`. */
export function summary(n: Notice, esc: Escape): string {
  return WORDING[n.type].summary({
    actor: esc(personLabel(n.actor)),
    requester: esc(personLabel(n.request.requester)),
    accounts: esc(accountsLabel(n)),
    grantAccount: esc(grantAccountLabel(n)),
    accessType: esc(n.request.accessType),
    duration: formatDuration(n.request.durationHours),
    risk: esc(riskLabel(n)),
    notAfter: n.grant === null ? 'an unknown time' : formatTime(n.grant.notAfter),
    revision: String(n.request.revision),
  });
}

/** The e-mail subject line: `[iam-jit] <headline>: <requester> on <accounts>`, on one line. */
export function subjectLine(n: Notice): string {
  const where = n.grant === null ? accountNames(n) : grantAccountLabel(n);
  return oneLine(`[iam-jit] ${headline(n)}: ${personLabel(n.request.requester)} on ${where}`);
}

/** A person as shown to humans: the e-mail when known, else the user id; `system` is iam-jit itself. */
export function personLabel(p: { readonly id: string; readonly email: string | null }): string {
  if (p.id === 'system') return 'iam-jit';
  return p.email ?? p.id;
}

/** Every account of the request as `Name (id)`, comma-separated. */
export function accountsLabel(n: Notice): string {
  return n.request.accounts.map((a) => `${a.name} (${a.id})`).join(', ');
}

/** The grant's account as `Name (id)` (the id alone when the request does not list it); all accounts without a grant. */
export function grantAccountLabel(n: Notice): string {
  if (n.grant === null) return accountsLabel(n);
  const id = n.grant.accountId;
  const account = n.request.accounts.find((a) => a.id === id);
  return account === undefined ? id : `${account.name} (${id})`;
}

function accountNames(n: Notice): string {
  return n.request.accounts.map((a) => a.name).join(', ');
}

/** `7/10 (high)`. */
export function riskLabel(n: Notice): string {
  return `${n.request.risk.score}/10 (${n.request.risk.band})`;
}

/** Top factors as `Title (+3)` lines, at most `max` of them; empty when there are none. */
export function factorLines(n: Notice, max = 3): string[] {
  return n.request.risk.topFactors.slice(0, max).map((f) => `${f.title} (+${f.points})`);
}

/** Hours as `2 h`, `30 min` or `1 h 30 min`. */
export function formatDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** An ISO 8601 instant as `2026-11-23 17:00 UTC`; the input unchanged when it does not parse. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Control characters (CR/LF included) folded to spaces, so a value cannot break a header or a line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** `text` cut to at most `max` characters, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
