/**
 * The request context as the simulator reads it: condition keys by lower-cased name (IAM: "Key names are
 * case-insensitive"), each with its values and whether it was given as a multivalued key.
 */
import type { ContextInput, ContextValues } from './types.ts';

/** The values of one context key. */
export interface ContextEntry {
  values: readonly string[];
  /** Given as an array: a multivalued key (it cannot be used as a policy variable). */
  multi: boolean;
}

/** Context lookup by lower-cased key. */
export interface RequestContext {
  get(key: string): ContextEntry | undefined;
}

/** Parsed parts of a principal ARN the simulator cares about. */
export interface PrincipalInfo {
  arn: string;
  kind: 'root' | 'user' | 'role' | 'role-session' | 'federated-user' | 'service' | 'unknown';
  account?: string;
  partition?: string;
  /** Role name for roles and role sessions; user name for users and federated users. */
  name?: string;
  /** Role ARN (without path, which a session ARN does not carry) for role sessions and roles. */
  roleArn?: string;
}

const ARN_RE = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

const principalCache = new Map<string, PrincipalInfo>();

/** Classifies a principal ARN (or service principal name), memoised. Unrecognised strings become kind `unknown`. */
export function parsePrincipal(arn: string): PrincipalInfo {
  let info = principalCache.get(arn);
  if (!info) {
    info = classifyPrincipal(arn);
    if (principalCache.size > 10_000) principalCache.clear();
    principalCache.set(arn, info);
  }
  return info;
}

function classifyPrincipal(arn: string): PrincipalInfo {
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(arn)) return { arn, kind: 'service' };
  if (/^\d{12}$/.test(arn))
    return { arn: `arn:aws:iam::${arn}:root`, kind: 'root', account: arn, partition: 'aws' };
  const m = ARN_RE.exec(arn);
  if (!m) return { arn, kind: 'unknown' };
  const [, partition, service, account, rest] = m as unknown as [string, string, string, string, string];
  const base = { arn, partition, account };
  if (service === 'iam') {
    if (rest === 'root') return { ...base, kind: 'root' };
    if (rest.startsWith('user/'))
      return { ...base, kind: 'user', name: rest.slice(rest.lastIndexOf('/') + 1) };
    if (rest.startsWith('role/')) {
      const name = rest.slice(rest.lastIndexOf('/') + 1);
      return { ...base, kind: 'role', name, roleArn: `arn:${partition}:iam::${account}:role/${name}` };
    }
    return { ...base, kind: 'unknown' };
  }
  if (rest.startsWith('assumed-role/')) {
    const [, role] = rest.split('/');
    if (role)
      return {
        ...base,
        kind: 'role-session',
        name: role,
        roleArn: `arn:${partition}:iam::${account}:role/${role}`,
      };
  }
  if (rest.startsWith('federated-user/')) return { ...base, kind: 'federated-user', name: rest.slice(15) };
  return { ...base, kind: 'unknown' };
}

const PRINCIPAL_TYPE: Partial<Record<PrincipalInfo['kind'], string>> = {
  root: 'Account',
  user: 'User',
  'role-session': 'AssumedRole',
  role: 'AssumedRole',
  'federated-user': 'FederatedUser',
};

const derivedCache = new WeakMap<PrincipalInfo, ReadonlyMap<string, ContextEntry>>();

/** Context keys that follow from the principal ARN (cached per principal). */
function derivedKeys(principal: PrincipalInfo): ReadonlyMap<string, ContextEntry> {
  let map = derivedCache.get(principal);
  if (!map) {
    const m = new Map<string, ContextEntry>();
    if (principal.kind !== 'service' && principal.kind !== 'unknown') {
      const derived: Record<string, string | undefined> = {
        'aws:principalarn': principal.roleArn ?? principal.arn,
        'aws:principalaccount': principal.account,
        'aws:principaltype': PRINCIPAL_TYPE[principal.kind],
        'aws:username': principal.kind === 'user' ? principal.name : undefined,
      };
      for (const [key, value] of Object.entries(derived)) {
        if (value !== undefined) m.set(key, { values: [value], multi: false });
      }
    }
    map = m;
    derivedCache.set(principal, map);
  }
  return map;
}

const EMPTY: ReadonlyMap<string, ContextEntry> = new Map();

/**
 * Builds the lower-cased context. Keys the caller did not give but that follow from the principal ARN are
 * filled in: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, and `aws:username` for IAM users
 * (IAM User Guide, "Principal key values": `aws:username` is present only for IAM users).
 */
export function buildContext(
  values: ContextInput | undefined,
  principal: PrincipalInfo | undefined,
): RequestContext {
  const derived = principal ? derivedKeys(principal) : EMPTY;
  if (!values) return derived;
  const map = new Map<string, ContextEntry>();
  if (values instanceof Map) {
    for (const [key, value] of values as ReadonlyMap<string, string | readonly string[]>)
      map.set(key.toLowerCase(), entryOf(value));
  } else {
    const record = values as ContextValues;
    for (const key in record) map.set(key.toLowerCase(), entryOf(record[key]!));
  }
  if (derived.size === 0) return map;
  for (const [key, entry] of derived) if (!map.has(key)) map.set(key, entry);
  return map;
}

function entryOf(value: string | readonly string[]): ContextEntry {
  return Array.isArray(value)
    ? { values: value.map(String), multi: true }
    : { values: [String(value)], multi: false };
}
