import * as nodeCrypto from 'node:crypto';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  /** Signing service name from the credential scope (`iam`, `sts`, `sso`, `identitystore`). */
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** The request as received, enough to recompute its signature. */
export interface IncomingSignedRequest {
  method: string;
  /** Path plus optional `?query`, as on the request line. */
  url: string;
  /** Lower-case header names (Node's `IncomingMessage.headers`). */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Credentials the verifier re-signs with. */
export interface SigningSecret {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

/**
 * Parses a SigV4 `Authorization` header. Returns undefined when the header is absent or not SigV4
 * (callers answer `MissingAuthenticationToken` / `IncompleteSignature`).
 */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  if (!header) return undefined;
  const m = AUTH_PATTERN.exec(header);
  if (!m) return undefined;
  return {
    accessKeyId: m[1] ?? '',
    date: m[2] ?? '',
    region: m[3] ?? '',
    service: m[4] ?? '',
    signedHeaders: (m[5] ?? '').split(';'),
    signature: m[6] ?? '',
  };
}

/** An x-amz-date value read once: its instant (ms, NaN when malformed) and as the signer writes it back. */
interface AmzDate {
  value: string;
  ms: number;
  long: string;
}

// Requests signed in the same second carry the same x-amz-date: remember the last one read.
let lastAmzDate: AmzDate = { value: '', ms: Number.NaN, long: '' };

function readAmzDate(value: string): AmzDate {
  if (value === lastAmzDate.value) return lastAmzDate;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
  lastAmzDate = { value, ms, long: m ? longDate(new Date(ms)) : '' };
  return lastAmzDate;
}

/** Parses `x-amz-date` (`20260101T120000Z`) into a Date, or undefined when malformed. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const { ms } = readAmzDate(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20260101T120000Z` from a Date (what the signer writes as x-amz-date). */
function longDate(date: Date): string {
  const iso = date.toISOString(); // 2026-01-01T12:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** One-shot `crypto.hash` (Node ≥ 20.12, half the cost of a Hash object), else `createHash`. */
const oneShotHash = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

function sha256Hex(text: string): string {
  return oneShotHash
    ? oneShotHash('sha256', text, 'hex')
    : nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** RFC 3986 escaping as SigV4 wants it: `encodeURIComponent` plus `!'()*`. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const SIGNING_KEY_CACHE_SIZE = 1000;
/** Derived signing keys by (date, region, service, secret): four HMACs saved per request. */
const signingKeys = new Map<string, Buffer>();

/**
 * The SigV4 signing key for `secret` on `shortDate` (yyyymmdd) in `region` for `service`. Cached by all four, so a
 * changed secret (or another day, region or service) derives a new key; the oldest entry goes past 1,000.
 */
export function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const cacheKey = `${shortDate}/${region}/${service}/${secret}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = nodeCrypto.createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
    for (const part of [region, service, 'aws4_request'])
      key = nodeCrypto.createHmac('sha256', key).update(part).digest();
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE)
      signingKeys.delete(signingKeys.keys().next().value as string);
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The canonical path: dot segments resolved, each character RFC 3986-escaped once more, `/` kept. */
function canonicalPath(path: string): string {
  if (path === '/') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** The canonical query string: decoded pairs re-escaped, sorted by key then value; X-Amz-Signature left out. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  const byKey = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(query)) {
    if (k.toLowerCase() === 'x-amz-signature') continue;
    const key = escapeUri(k);
    const pairs = byKey.get(key);
    const pair = `${key}=${escapeUri(v)}`;
    if (pairs) pairs.push(pair);
    else byKey.set(key, [pair]);
  }
  return [...byKey.keys()]
    .sort()
    .map((key) => (byKey.get(key) as string[]).sort().join('&'))
    .join('&');
}

/** What `canonicalHeaderValue` would change: a line break, a tab, two blanks in a row, a blank at either end. */
const NEEDS_TRIM = /[\r\n\t]| {2}|^ | $/;

/** A header value as it enters the canonical request: line breaks and runs of blanks become one space, trimmed. */
function canonicalHeaderValue(value: string): string {
  if (!NEEDS_TRIM.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * The signature `secret` gives the request (hex), computed as in the SigV4 specification over the headers the
 * client listed in SignedHeaders; undefined when a listed header is missing or x-amz-date is malformed. Follows
 * the AWS SDK's signer (`@smithy/signature-v4`) exactly: `authorization` and `date` never count (the signer
 * regenerates them), x-amz-date is always signed (as parsed), a signed x-amz-content-sha256 is the payload hash
 * (else the body's SHA-256), and a signed x-amz-security-token carries the session's token.
 */
export function expectedSignature(
  request: IncomingSignedRequest,
  auth: SigV4Authorization,
  secret: SigningSecret,
): string | undefined {
  const amzDate = headerValue(request.headers['x-amz-date']);
  const date = amzDate ? readAmzDate(amzDate).long : '';
  if (date === '') return undefined;
  const names = new Set(auth.signedHeaders);
  for (const name of names) if (headerValue(request.headers[name]) === undefined) return undefined;
  names.add('x-amz-date');
  let headers = '';
  const listed: string[] = [];
  for (const name of [...names].sort()) {
    if (name === 'authorization' || name === 'date') continue;
    const value =
      name === 'x-amz-date'
        ? date
        : name === 'x-amz-security-token' && secret.sessionToken
          ? secret.sessionToken
          : (headerValue(request.headers[name]) as string);
    headers += `${name}:${canonicalHeaderValue(value)}\n`;
    listed.push(name);
  }
  const payloadHash =
    (names.has('x-amz-content-sha256') ? headerValue(request.headers['x-amz-content-sha256']) : undefined) ??
    sha256Hex(request.body);
  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const canonicalRequest = `${request.method}\n${canonicalPath(path)}\n${canonicalQuery(q < 0 ? '' : request.url.slice(q + 1))}\n${headers}\n${listed.join(';')}\n${payloadHash}`;
  const shortDate = date.slice(0, 8);
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${shortDate}/${auth.region}/${auth.service}/aws4_request\n${sha256Hex(canonicalRequest)}`;
  return nodeCrypto
    .createHmac('sha256', signingKey(secret.secretAccessKey, shortDate, auth.region, auth.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

/**
 * Recomputes the request's signature with `secret` (`expectedSignature`) and compares it with the client's in
 * constant time. A supplied x-amz-content-sha256 must be the body's hash. Returns true when the signature matches.
 */
export function verifySignature(
  request: IncomingSignedRequest,
  auth: SigV4Authorization,
  secret: SigningSecret,
): boolean {
  const contentHash = headerValue(request.headers['x-amz-content-sha256']);
  if (contentHash !== undefined && contentHash !== sha256Hex(request.body)) return false;
  const expected = expectedSignature(request, auth, secret);
  if (expected === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}
