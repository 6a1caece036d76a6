/**
 * The SSRF guard for outgoing notification requests (docs/notifications.md "SSRF rules"): only http(s), and never
 * to private, loopback, link-local, unique-local, multicast, reserved or unspecified addresses (IPv4 and IPv6,
 * IPv4-mapped included) unless the host or a CIDR containing the address is in the allow-list
 * (`IAM_JIT_WEBHOOK_ALLOW_HOSTS`). Checked when a target is saved and again on every delivery, on the addresses the
 * connection actually uses (`guardedLookup`), so a DNS change cannot slip past it.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Why a target was refused, or ok. */
/**
 * The verdict on a target. `publicReason`, when present, is what a non-admin caller may be told: a refusal that
 * came from resolving a name says only that, never the addresses (which would map the internal network).
 */
export type TargetCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly publicReason?: string };

/** Hosts and networks exempt from the guard. */
export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly networks: BlockList;
}

// Ranges no notification may reach (IANA special-purpose registries for IPv4 and IPv6).
const FORBIDDEN_V4: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const FORBIDDEN_V6: readonly [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'IPv4-compatible'],
  ['2001::', 32, 'Teredo'],
  ['2002::', 16, '6to4'],
  ['64:ff9b:1::', 48, 'NAT64'],
  ['64:ff9b::', 96, 'NAT64'],
  ['100::', 64, 'discard-only'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d` / `::ffff:7f00:1`) or -compatible IPv6 address. */
function mappedV4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^::(ffff:(0:)?)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[3] !== undefined) return dotted[3];
  const hex = /^::ffff:(0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[2] === undefined || hex[3] === undefined) return undefined;
  const hi = Number.parseInt(hex[2], 16);
  const lo = Number.parseInt(hex[3], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why `address` (an IP literal) is off limits, or undefined when it is a public unicast address. */
export function forbiddenReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const v4 = mappedV4(bare);
    if (v4 !== undefined) return forbiddenReason(v4);
    const hit = FORBIDDEN_V6.find(([net, prefix]) => inSubnet(bare, net, prefix, 'ipv6'));
    return hit?.[2];
  }
  if (bare === '255.255.255.255') return 'broadcast';
  return FORBIDDEN_V4.find(([net, prefix]) => inSubnet(bare, net, prefix, 'ipv4'))?.[2];
}

function inSubnet(address: string, net: string, prefix: number, type: 'ipv4' | 'ipv6'): boolean {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list.check(address, type);
}

/**
 * Parses allow-list entries: hostnames (matched case-insensitively), IP addresses and CIDRs (`10.1.0.0/16`,
 * `fd00::/8`). Throws Error naming a malformed entry.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '');
    if (entry === '') continue;
    const [base = '', bits] = entry.split('/');
    const family = isIP(base);
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`bad CIDR ${raw}`);
      networks.addSubnet(base, prefix, family === 4 ? 'ipv4' : 'ipv6');
      if (bits === undefined) hosts.add(base);
    } else if (bits === undefined && /^[a-z0-9.-]+$/.test(entry)) hosts.add(entry);
    else throw new Error(`bad allow-list entry ${raw}`);
  }
  return { hosts, networks };
}

/** True when the allow-list exempts `address` (an IP literal). */
function allowedAddress(allow: AllowList, address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const v4 = isIP(bare) === 6 ? mappedV4(bare) : undefined;
  const ip = v4 ?? bare;
  return allow.networks.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

/** Ok when `address` may be connected to under `allow`. */
export function checkAddress(allow: AllowList, address: string): TargetCheck {
  if (allowedAddress(allow, address)) return { ok: true };
  const reason = forbiddenReason(address);
  return reason === undefined
    ? { ok: true }
    : { ok: false, reason: `${address} is a ${reason} address (not in IAM_JIT_WEBHOOK_ALLOW_HOSTS)` };
}

/** Resolves a hostname to every address (the system resolver, as a connection would). */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

/** The system resolver (`dns.lookup`, all addresses). */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (e, addresses: LookupAddress[]) =>
      e ? reject(e) : resolve(addresses.map((a) => a.address)),
    );
  });

/**
 * Checks a target URL: http(s) only, no credentials in it, and every address its host resolves to allowed (an
 * allow-listed hostname skips resolution). Never throws: resolution failures are refusals.
 */
export async function checkTargetUrl(
  url: string,
  allow: AllowList,
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { ok: false, reason: 'only http:// and https:// URLs are allowed' };
  if (parsed.username !== '' || parsed.password !== '')
    return { ok: false, reason: 'credentials in the URL are not allowed' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allow.hosts.has(host)) return { ok: true };
  if (isIP(host) !== 0) return checkAddress(allow, host);
  let addresses: readonly string[];
  const publicReason = `${host} does not resolve to a public address`;
  try {
    addresses = await resolve(host);
  } catch (e) {
    return { ok: false, reason: `${host} does not resolve (${(e as Error).message})`, publicReason };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve`, publicReason };
  for (const a of addresses) {
    const check = checkAddress(allow, a);
    if (!check.ok) return { ok: false, reason: `${host} resolves to ${check.reason}`, publicReason };
  }
  return { ok: true };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that resolves like `dns.lookup` and refuses (ECONNREFUSED-style error) when any
 * resolved address is forbidden, so the socket connects only to checked addresses (no DNS-rebinding window).
 * An allow-listed hostname resolves normally.
 */
export function guardedLookup(allow: AllowList): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    dnsLookup(hostname, { all: true, verbatim: true }, (e, addresses: LookupAddress[]) => {
      if (e) return callback(e, []);
      const exempt = allow.hosts.has(hostname.toLowerCase());
      for (const a of addresses) {
        const check = exempt ? { ok: true as const } : checkAddress(allow, a.address);
        if (!check.ok) {
          const refused: NodeJS.ErrnoException = new Error(
            `refused: ${hostname} resolves to ${check.reason}`,
          );
          refused.code = 'ESSRF';
          return callback(refused, []);
        }
      }
      const usable = addresses.filter((a) => family === 0 || a.family === family);
      if (options.all === true) return callback(null, usable);
      const first = usable[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
