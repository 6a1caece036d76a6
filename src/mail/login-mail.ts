import type { MailMessage } from './mailer.ts';

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/**
 * The login-link message. The link opens a confirmation page (a GET never signs anyone in), so mail scanners
 * that prefetch links do not use it up. `expiresAt` is shown in UTC.
 */
export function loginLinkMail({
  to,
  link,
  expiresAt,
}: {
  to: string;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const until = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return {
    to,
    subject: 'Your iam-jit sign-in link',
    text: `Sign in to iam-jit:\n\n${link}\n\nThe link works once and expires at ${until}.\nIf you did not ask for it, ignore this message.\n`,
    html: `<p>Sign in to iam-jit:</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>The link works once and expires at ${until}. If you did not ask for it, ignore this message.</p>`,
  };
}
