/**
 * IPv4 and IPv6 addresses and CIDR ranges for the IpAddress/NotIpAddress condition operators.
 * Source: IAM User Guide, "Condition operators", IP address condition operators: values in standard CIDR
 * format (e.g. `203.0.113.0/24` or `2001:DB8:1234:5678::/64`); "If you specify an IP address without the
 * associated routing prefix, IAM uses the default prefix value of /32" (and /128 for IPv6).
 */

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** A parsed CIDR range. */
export interface CidrRange {
  version: 4 | 6;
  /** Network address with host bits cleared. */
  network: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (e.g. ::ffff:192.0.2.1) fills the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses an IPv4 or IPv6 address; `undefined` when it is neither. */
export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

/** Parses a CIDR range or a bare address (/32 or /128). `undefined` when malformed. */
export function parseCidr(text: string): CidrRange | undefined {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { version: ip.version, network: ip.value & mask, prefix };
}

/** True when the address lies in the range (an IPv4 address never lies in an IPv6 range and vice versa). */
export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
  if (range.version !== ip.version) return false;
  const bits = range.version === 4 ? 32 : 128;
  const shift = BigInt(bits - range.prefix);
  return ip.value >> shift === range.network >> shift;
}
