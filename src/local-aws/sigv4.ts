import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

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

/** Parses `x-amz-date` (`20260101T120000Z`) into a Date, or undefined when malformed. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Recomputes the request's signature with `secret` by re-signing it with `@smithy/signature-v4`
 * (only the headers the client listed in SignedHeaders, `applyChecksum: false` so no header is added)
 * and compares in constant time. Returns true when the client's signature matches.
 */
export async function verifySignature(
  request: IncomingSignedRequest,
  auth: SigV4Authorization,
  secret: SigningSecret,
): Promise<boolean> {
  const signingDate = parseAmzDate(headerValue(request.headers['x-amz-date']));
  if (!signingDate) return false;
  const signed = new Set(auth.signedHeaders);
  // The signer trusts a supplied x-amz-content-sha256 as the payload hash, so check it against the body.
  const contentHash = headerValue(request.headers['x-amz-content-sha256']);
  if (
    contentHash !== undefined &&
    contentHash !== createHash('sha256').update(request.body, 'utf8').digest('hex')
  ) {
    return false;
  }
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = headerValue(request.headers[name]);
    if (value === undefined) return false;
    headers[name] = value;
  }
  const [path, query] = splitUrl(request.url);
  const host = headers.host ?? headerValue(request.headers.host) ?? 'localhost';
  const toSign = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: host.replace(/:\d+$/, ''),
    path,
    query,
    headers,
    body: request.body,
  });
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: {
      accessKeyId: secret.accessKeyId,
      secretAccessKey: secret.secretAccessKey,
      ...(signed.has('x-amz-security-token') && secret.sessionToken
        ? { sessionToken: secret.sessionToken }
        : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const result = await signer.sign(toSign, {
    signingDate,
    signingRegion: auth.region,
    signingService: auth.service,
    signableHeaders: signed,
  });
  const expected = parseAuthorization(headerValue(result.headers.authorization))?.signature ?? '';
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function splitUrl(url: string): [string, Record<string, string | string[]>] {
  const q = url.indexOf('?');
  if (q < 0) return [url, {}];
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return [url.slice(0, q), query];
}
