/**
 * Resource scope for the risk score: which of a statement's resources an action can apply to, whether a
 * resource pattern is "wide" (every resource of its type in an account, or more), and whether a Deny resource
 * certainly covers an Allow resource.
 */
import { matchesWildcard } from '../wildcard.ts';
import { type ActionRisk, arnFields, FLAG, resourcePrefixes } from './action-flags.ts';

/** True for patterns made only of wildcards (`*`, `**`), which match every resource including the literal `*`. */
export function isAnyResource(pattern: string): boolean {
  return pattern.length > 0 && /^\*+$/.test(pattern);
}

/**
 * True when `pattern` covers every resource of its type: `*`, an ARN whose resource part starts with a wildcard
 * (`arn:aws:s3:::*`, and the same followed by a slash and a wildcard), or a resource-type prefix followed by a wildcard (`role/*`,
 * `secret:*`, `parameter/*`, `log-group:*`). `bucket/*` (all objects of one bucket) and `secret:prod/*` are
 * narrow.
 */
export function isWideResource(pattern: string): boolean {
  let wide = wideCache.get(pattern);
  if (wide === undefined) {
    wide = computeWide(pattern);
    if (wideCache.size >= 20_000) wideCache.clear();
    wideCache.set(pattern, wide);
  }
  return wide;
}

const wideCache = new Map<string, boolean>();

function computeWide(pattern: string): boolean {
  if (isAnyResource(pattern)) return true;
  const fields = arnFields(pattern);
  if (!fields) return pattern.startsWith('arn:') && pattern.includes('*');
  const service = (fields[2] ?? '').toLowerCase();
  if (service.includes('*') || service.includes('?')) return true;
  let rest = fields[5] ?? '';
  if (rest.startsWith('*')) return true;
  for (const prefix of resourcePrefixes(service)) {
    if (rest.toLowerCase().startsWith(prefix.toLowerCase())) {
      rest = rest.slice(prefix.length);
      break;
    }
  }
  return rest.startsWith('*');
}

/**
 * True when an Allow of `action` on resource `pattern` can grant anything. IAM rule (Service Authorization
 * Reference, "Resource types" column): an action without resource types is only authorised against `*`; an
 * action with resource types only against ARNs of those types. We compare the ARN's service segment with the
 * services of the action's ARN templates; anything that is not an ARN is kept (fail closed).
 */
export function appliesTo(action: ActionRisk, pattern: string): boolean {
  return appliesToService(action, resourceService(pattern));
}

/**
 * The part of a resource pattern `appliesTo` needs: `'*'` for patterns any action can match (`*`, non-ARNs),
 * `'arn:*'` for ARNs with a wildcard service, else the ARN's lower-case service.
 */
export function resourceService(pattern: string): string {
  if (isAnyResource(pattern) || !pattern.startsWith('arn:')) return '*';
  const service = (pattern.split(':')[2] ?? '').toLowerCase();
  return service === '' || service.includes('*') || service.includes('?') ? 'arn:*' : service;
}

/** `appliesTo` with the resource's service precomputed by `resourceService`. */
export function appliesToService(action: ActionRisk, service: string): boolean {
  if (service === '*') return true;
  if ((action.flags & FLAG.resourceLevel) === 0) return false;
  return service === 'arn:*' || action.arnServices.includes(service);
}

function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  const q = pattern.indexOf('?');
  const cut = star < 0 ? q : q < 0 ? star : Math.min(star, q);
  return cut < 0 ? pattern : pattern.slice(0, cut);
}

/**
 * True when every resource the Allow pattern `allow` matches is also matched by the Deny pattern `deny`.
 * Conservative: when in doubt, the Deny does not cover (a Deny never removes more than it certainly removes).
 */
export function denyCovers(deny: string, allow: string): boolean {
  if (isAnyResource(deny) || deny === allow) return true;
  const hasWild = allow.includes('*') || allow.includes('?');
  const denyStar = deny.indexOf('*');
  if (denyStar === deny.length - 1 && !deny.includes('?')) {
    return literalPrefix(allow).startsWith(deny.slice(0, -1));
  }
  if (hasWild) return false;
  return matchesWildcard(deny, allow);
}
