/** Validation of notification target URLs when they are saved (the SSRF guard runs again on every delivery). */
import { BrokerError } from '../lib/errors.ts';
import { type AllowList, checkTargetUrl, type Resolver } from './ssrf.ts';

const MAX_URL_LENGTH = 2048;

/**
 * Returns `url` trimmed when it is an http(s) URL the SSRF guard accepts; throws `InvalidInput` (400) naming
 * `field` and the reason otherwise (`<field>: refused: 10.0.0.5 is a private address …`). `secret` hides the URL
 * from the error details (chat webhook URLs are secrets).
 */
export async function checkTargetUrlInput(
  url: unknown,
  {
    field,
    allow,
    resolve,
    secret = false,
    opaque = false,
  }: {
    field: string;
    allow: AllowList;
    resolve?: Resolver;
    secret?: boolean;
    /** For non-admin callers: a refusal after resolving a name does not say what it resolved to. */
    opaque?: boolean;
  },
): Promise<string> {
  if (typeof url !== 'string' || url.trim() === '')
    throw new BrokerError('InvalidInput', `${field} is required`, { details: { field } });
  const text = url.trim();
  if (text.length > MAX_URL_LENGTH)
    throw new BrokerError('InvalidInput', `${field} is longer than ${MAX_URL_LENGTH} characters`, {
      details: { field },
    });
  const check = await checkTargetUrl(text, allow, resolve);
  if (!check.ok) {
    const reason = opaque ? (check.publicReason ?? check.reason) : check.reason;
    throw new BrokerError('InvalidInput', `${field}: refused: ${reason}`, {
      details: { field, reason, ...(secret ? {} : { url: text }) },
    });
  }
  return text;
}

/** A secret URL for display: scheme and host, then `…` and the last four characters (`https://hooks.slack.com/…x9Qz`). */
export function maskUrl(url: string): string {
  const u = new URL(url);
  const rest = `${u.pathname}${u.search}`;
  return `${u.protocol}//${u.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
}
