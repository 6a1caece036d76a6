// E-mail notices: a one-line subject, a plain-text body and an HTML body with every user value HTML-escaped.
import { escapeHtml } from '../../http/html.ts';
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
  personLabel,
  riskLabel,
  subjectLine,
  summary,
} from './notice-text.ts';

/** A rendered e-mail (the transport adds sender and recipients). */
export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Label/value rows shown in both bodies, unescaped. */
function rowsOf(n: Notice): [string, string][] {
  const rows: [string, string][] = [
    ['Requester', personLabel(n.request.requester)],
    [n.grant === null ? 'Accounts' : 'Account', n.grant === null ? accountsLabel(n) : grantAccountLabel(n)],
    ['Access', n.request.accessType],
    ['Duration', formatDuration(n.request.durationHours)],
    ['Risk score', riskLabel(n)],
  ];
  if (n.grant !== null) rows.push(['Expires', formatTime(n.grant.notAfter)]);
  if (n.actor.id !== n.request.requester.id) rows.push(['By', personLabel(n.actor)]);
  return rows;
}

/** The e-mail of a notice (pure): subject `[iam-jit] <headline>: <requester> on <accounts>`. */
export function renderEmail(n: Notice): EmailMessage {
  return { subject: subjectLine(n), text: textBody(n), html: htmlBody(n) };
}

function textBody(n: Notice): string {
  const factors = factorLines(n);
  const lines = [
    ...(isLoud(n) ? ['*** BREAK-GLASS: access was granted without approval ***', ''] : []),
    headline(n),
    '',
    summary(n, (s) => s),
    '',
    ...rowsOf(n).map(([label, value]) => `${label}: ${value}`),
  ];
  if (factors.length > 0) lines.push('Top factors:', ...factors.map((f) => `  - ${f}`));
  lines.push('', 'Justification:', n.request.justification);
  if (n.message !== null) lines.push('', `${messageLabel(n)}:`, n.message);
  lines.push('', `Open the request: ${n.link}`, '', `-- iam-jit · ${n.request.id} · ${n.id}`);
  return `${lines.join('\n')}\n`;
}

function htmlBody(n: Notice): string {
  const e = escapeHtml;
  const factors = factorLines(n);
  const cell = 'style="padding:4px 12px 4px 0;vertical-align:top;text-align:left"';
  const rows = rowsOf(n)
    .map(([label, value]) => `<tr><th ${cell}>${e(label)}</th><td ${cell}>${e(value)}</td></tr>`)
    .join('');
  const parts = [
    isLoud(n)
      ? '<p style="background:#d40e0d;color:#fff;padding:8px 12px;font-weight:700">BREAK-GLASS: access was granted without approval</p>'
      : '',
    `<h1 style="font-size:20px">${e(headline(n))}</h1>`,
    `<p>${summary(n, e)}</p>`,
    `<table style="border-collapse:collapse">${rows}</table>`,
    factors.length > 0
      ? `<p><strong>Top factors</strong></p><ul>${factors.map((f) => `<li>${e(f)}</li>`).join('')}</ul>`
      : '',
    `<p><strong>Justification</strong></p><p style="white-space:pre-wrap">${e(n.request.justification)}</p>`,
    n.message === null
      ? ''
      : `<p><strong>${e(messageLabel(n))}</strong></p><p style="white-space:pre-wrap">${e(n.message)}</p>`,
    `<p><a href="${e(n.link)}" style="display:inline-block;padding:8px 16px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:6px">Open the request</a></p>`,
    `<p style="color:#57606a;font-size:12px">iam-jit · ${e(n.request.id)} · ${e(n.id)}</p>`,
  ];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${e(subjectLine(n))}</title></head><body style="font:15px/1.5 system-ui,sans-serif;color:#1b1f24">${parts.join('')}</body></html>`;
}
