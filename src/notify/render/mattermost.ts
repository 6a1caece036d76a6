// Mattermost incoming-webhook messages with one message attachment (fallback, colour by risk band, title linking to the
// request, short and long fields, Markdown text). Attachment text and field values are Markdown with @mentions, so
// every user value has its Markdown punctuation backslash-escaped and its @mentions broken with a zero-width space.
import type { Notice } from '../notice.ts';
import {
  accountsLabel,
  factorLines,
  formatDuration,
  formatTime,
  grantAccountLabel,
  headline,
  isLoud,
  messageLabel,
  oneLine,
  personLabel,
  riskLabel,
  summary,
  truncate,
} from './notice-text.ts';

/** One attachment field; `short` fields sit side by side. */
export interface MattermostField {
  readonly short: boolean;
  readonly title: string;
  readonly value: string;
}

/** A Mattermost message attachment. */
export interface MattermostAttachment {
  readonly fallback: string;
  readonly color: string;
  readonly pretext?: string;
  readonly title: string;
  readonly title_link: string;
  readonly text: string;
  readonly fields: readonly MattermostField[];
  readonly footer: string;
}

/** A Mattermost incoming-webhook body. */
export interface MattermostMessage {
  readonly text?: string;
  readonly attachments: readonly MattermostAttachment[];
}

/** Left-border colour per risk band; break-glass is always the critical colour. */
export const BAND_COLORS: Readonly<Record<string, string>> = {
  low: '#2eb886',
  medium: '#daa038',
  high: '#e8710a',
  critical: '#d40e0d',
};
const UNKNOWN_BAND_COLOR = '#8c8c8c';

// Escaping at most doubles a value; Mattermost posts hold 16,383 characters.
const TEXT_MAX = 1500;
const ZWSP = '\u200b';

/** `@word` at the start of a word gets a zero-width space after the `@`, so it mentions nobody (e-mails are untouched). */
export function breakMentions(text: string): string {
  return text.replace(/(^|[^\w])@(?=\w)/g, `$1@${ZWSP}`);
}

/** Escapes Mattermost Markdown (and Slack-compatible `<!channel>` links) in user text, and breaks its @mentions. */
export function escapeMattermost(text: string): string {
  return breakMentions(text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:$]/g, (ch) => `\\${ch}`));
}

const md = (text: string, max = TEXT_MAX) => escapeMattermost(truncate(text, max));

/** The Mattermost attachment message of a notice (pure). Break-glass notices mention `@here`. */
export function renderMattermost(n: Notice): MattermostMessage {
  const loud = isLoud(n);
  const color = loud ? (BAND_COLORS.critical ?? UNKNOWN_BAND_COLOR) : bandColor(n.request.risk.band);
  const title = headline(n);
  const lines = [
    summary(n, (s) => escapeMattermost(s)),
    '',
    `**Justification:** ${md(n.request.justification)}`,
  ];
  if (n.message !== null) lines.push('', `**${messageLabel(n)}:** ${md(n.message)}`);
  const attachment: MattermostAttachment = {
    fallback: breakMentions(oneLine(`${title}: ${summary(n, (s) => s)}`)).replace(/</g, `<${ZWSP}`),
    color,
    ...(loud ? { pretext: '@here Break-glass access was used.' } : {}),
    title: `${title} · ${n.request.id}`,
    title_link: n.link,
    text: lines.join('\n'),
    fields: fieldsOf(n),
    footer: `iam-jit · ${n.id}`,
  };
  return { ...(loud ? { text: '@here' } : {}), attachments: [attachment] };
}

function bandColor(band: string): string {
  return BAND_COLORS[band] ?? UNKNOWN_BAND_COLOR;
}

function fieldsOf(n: Notice): MattermostField[] {
  const factors = factorLines(n);
  const fields: MattermostField[] = [
    { short: true, title: 'Requester', value: md(personLabel(n.request.requester)) },
    {
      short: true,
      title: n.grant === null ? 'Accounts' : 'Account',
      value: md(n.grant === null ? accountsLabel(n) : grantAccountLabel(n)),
    },
    { short: true, title: 'Risk score', value: md(riskLabel(n)) },
    { short: true, title: 'Duration', value: formatDuration(n.request.durationHours) },
  ];
  if (n.grant !== null) fields.push({ short: true, title: 'Expires', value: formatTime(n.grant.notAfter) });
  if (n.actor.id !== n.request.requester.id) {
    fields.push({ short: true, title: 'By', value: md(personLabel(n.actor)) });
  }
  if (factors.length > 0) {
    fields.push({ short: false, title: 'Top factors', value: factors.map((f) => `- ${md(f)}`).join('\n') });
  }
  return fields;
}
