// Slack incoming-webhook messages in Block Kit: a `text` fallback (shown in notifications) plus `blocks`.
// User text is made inert two ways: `&`, `<`, `>` are escaped everywhere (so `<!channel>` or `<url|label>` cannot be
// written by a requester), and free text (justification, reasons) goes into `plain_text` objects, where Slack applies
// no mrkdwn formatting; mrkdwn objects holding user values are `verbatim` (no automatic mention/channel parsing).
import type { Notice, NoticeType } from '../notice.ts';
import {
  accountsLabel,
  factorLines,
  formatDuration,
  formatTime,
  grantAccountLabel,
  headline,
  isLoud,
  messageLabel,
  personLabel,
  riskLabel,
  summary,
  truncate,
} from './notice-text.ts';

/** A Block Kit text object. */
export interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
  readonly verbatim?: boolean;
}

/** The Block Kit blocks this renderer emits. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | {
      readonly type: 'actions';
      readonly elements: readonly {
        readonly type: 'button';
        readonly text: SlackText;
        readonly url: string;
        readonly style?: 'primary' | 'danger';
      }[];
    };

/** A Slack incoming-webhook body. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

const EMOJI: Readonly<Record<NoticeType, string>> = {
  'request.submitted': ':hourglass_flowing_sand:',
  'request.approved': ':white_check_mark:',
  'request.rejected': ':x:',
  'request.changes_requested': ':pencil2:',
  'request.revised': ':pencil:',
  'request.cancelled': ':no_entry_sign:',
  'request.timed_out': ':alarm_clock:',
  'request.commented': ':speech_balloon:',
  'request.break_glass': ':rotating_light:',
  'grant.activated': ':key:',
  'grant.expiring': ':warning:',
  'grant.expired': ':lock:',
  'grant.revoked': ':no_entry:',
  'grant.extended': ':clock3:',
  'grant.failed': ':boom:',
};

// Block Kit limits: header text 150 characters, section text 3,000, a field 2,000, at most 10 fields.
const HEADER_MAX = 150;
const SECTION_MAX = 2900;
const FIELD_MAX = 1900;

/** Escapes Slack's control characters (`&`, `<`, `>`), which is what makes `<!channel>` or `<@U123>` inert. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for Slack, then cut to at most `max` characters (ending in `…`) without splitting an entity. */
function safe(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  const cut = escaped.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  // an entity is at most 5 characters (`&amp;`): one cut open at the end is dropped whole
  return `${amp >= 0 && amp > cut.length - 5 && !cut.slice(amp).includes(';') ? cut.slice(0, amp) : cut}…`;
}

const plain = (text: string): SlackText => ({ type: 'plain_text', text, emoji: false });
const field = (label: string, value: string): SlackText => ({
  type: 'mrkdwn',
  text: `*${label}*\n${safe(value, FIELD_MAX)}`,
  verbatim: true,
});

/** The Slack Block Kit message of a notice (pure). Break-glass notices mention `<!here>`. */
export function renderSlack(n: Notice): SlackMessage {
  const emoji = EMOJI[n.type];
  const title = headline(n);
  const loud = isLoud(n);
  const text = `${loud ? '<!here> ' : ''}${emoji} ${title}: ${safe(
    summary(n, (s) => s),
    SECTION_MAX,
  )}`;
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${emoji} ${title}`, HEADER_MAX), emoji: true },
    },
  ];
  if (loud) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '<!here> *Break-glass access*' } });
  blocks.push(
    {
      type: 'section',
      text: plain(
        safe(
          summary(n, (s) => s),
          SECTION_MAX,
        ),
      ),
    },
    { type: 'section', fields: fieldsOf(n) },
    { type: 'section', text: plain(safe(`Justification: ${n.request.justification}`, SECTION_MAX)) },
  );
  if (n.message !== null) {
    blocks.push({ type: 'section', text: plain(safe(`${messageLabel(n)}: ${n.message}`, SECTION_MAX)) });
  }
  blocks.push(
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: plain('Open request'),
          url: n.link,
          ...(loud
            ? { style: 'danger' as const }
            : n.type === 'request.submitted'
              ? { style: 'primary' as const }
              : {}),
        },
      ],
    },
    { type: 'context', elements: [plain(`${n.request.id} · ${n.id}`)] },
  );
  return { text, blocks };
}

function fieldsOf(n: Notice): SlackText[] {
  const factors = factorLines(n);
  const fields = [
    field('Requester', personLabel(n.request.requester)),
    field(
      n.grant === null ? 'Accounts' : 'Account',
      n.grant === null ? accountsLabel(n) : grantAccountLabel(n),
    ),
    field('Risk score', riskLabel(n)),
    field('Duration', formatDuration(n.request.durationHours)),
  ];
  if (factors.length > 0) fields.push(field('Top factors', factors.map((f) => `• ${f}`).join('\n')));
  if (n.grant !== null) fields.push(field('Expires', formatTime(n.grant.notAfter)));
  if (n.actor.id !== n.request.requester.id) fields.push(field('By', personLabel(n.actor)));
  return fields;
}
