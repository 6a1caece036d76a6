/**
 * Validators for condition values by operator type. Sources: IAM User Guide, "Condition operators" — numeric values
 * are integers or decimals, dates are W3C/ISO 8601 forms (YYYY-MM-DD, with optional time and zone) or epoch seconds,
 * IP values are IPv4/IPv6 addresses or CIDR blocks (RFC 4632), binary values are base64.
 */

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const EPOCH_RE = /^\d{1,13}$/;
const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** An integer or decimal, as numeric operators take. */
export function isNumberValue(v: string): boolean {
  return NUMBER_RE.test(v.trim());
}

/** A W3C/ISO 8601 date or date-time, or epoch seconds/milliseconds, as date operators take. */
export function isDateValue(v: string): boolean {
  if (EPOCH_RE.test(v)) return true;
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const [, , mo, d, h, mi, s] = m.map((x) => (x === undefined ? undefined : Number(x)));
  if (mo === undefined || d === undefined || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  if (h !== undefined && h > 23) return false;
  if (mi !== undefined && mi > 59) return false;
  return s === undefined || s <= 60;
}

/** `true` or `false` in any case, as Bool and Null take. */
export function isBoolValue(v: string): boolean {
  const l = v.toLowerCase();
  return l === 'true' || l === 'false';
}

/** A non-empty base64 string, as BinaryEquals takes. */
export function isBase64Value(v: string): boolean {
  return v.length > 0 && BASE64_RE.test(v);
}

/** A parsed IP address or CIDR block. */
export interface Cidr {
  version: 4 | 6;
  /** IPv4 address as an unsigned 32-bit number (IPv6: undefined). */
  v4?: number;
  prefix: number;
}

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

function isV6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return false;
  const doubles = s.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1] ?? '';
  const tailV4 = last.includes('.') ? parseV4(last) !== undefined : false;
  if (last.includes('.') && !tailV4) return false;
  const hexGroups = tailV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (tailV4 ? 2 : 0);
  return doubles === 1 ? width < 8 : width === 8;
}

/** Parses an IP address or CIDR block; undefined when malformed. */
export function parseCidr(v: string): Cidr | undefined {
  const slash = v.indexOf('/');
  const addr = slash < 0 ? v : v.slice(0, slash);
  const bits = slash < 0 ? undefined : v.slice(slash + 1);
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  const v4 = parseV4(addr);
  if (v4 !== undefined) {
    const prefix = bits === undefined ? 32 : Number(bits);
    return prefix <= 32 ? { version: 4, v4, prefix } : undefined;
  }
  if (isV6(addr)) {
    const prefix = bits === undefined ? 128 : Number(bits);
    return prefix <= 128 ? { version: 6, prefix } : undefined;
  }
  return undefined;
}

/** For an IPv4 CIDR with host bits set (`10.0.0.5/24`), the network form (`10.0.0.0/24`); else undefined. */
export function normalisedCidr(c: Cidr): string | undefined {
  if (c.version !== 4 || c.v4 === undefined || c.prefix === 32) return undefined;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  const net = (c.v4 & mask) >>> 0;
  if (net === c.v4) return undefined;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${c.prefix}`;
}

const PRIVATE_V4: [number, number][] = [
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0x7f000000, 8], // 127.0.0.0/8
];

/** True when the whole IPv4 block lies in a private (RFC 1918) or loopback range. IPv6 ULA fc00::/7 too. */
export function isPrivateRange(c: Cidr, raw: string): boolean {
  if (c.version === 6) return /^f[cd]/i.test(raw) && c.prefix >= 7;
  if (c.v4 === undefined) return false;
  return PRIVATE_V4.some(([net, bits]) => {
    if (c.prefix < bits) return false;
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return ((c.v4 ?? 0) & mask) >>> 0 === net;
  });
}
