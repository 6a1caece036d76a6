import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import type { CallerIdentityVerifier } from '../identity/aws-iam-auth.ts';
import type { Clock } from '../lib/clock.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { err, ok } from '../lib/result.ts';

const TIMEOUT_MS = 5000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The `CallerIdentityVerifier` port over HTTP: replays the caller's signed GetCallerIdentity request (method,
 * signed headers including Host, body) to `endpoint` and reads `Arn`/`Account` from STS's XML answer. Node's
 * http client is used instead of fetch because fetch may not set the signed `Host` header. Never throws.
 */
export function createStsVerifier({ endpoint }: { endpoint: string }): CallerIdentityVerifier {
  const url = new URL(endpoint);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  return {
    getCallerIdentity: (signed) =>
      new Promise((resolve) => {
        const req = send(
          url,
          {
            method: 'POST',
            headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(signed.body)) },
            timeout: TIMEOUT_MS,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
            });
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode !== 200) {
                resolve(err(`STS answered ${res.statusCode}: ${text.slice(0, 300)}`));
                return;
              }
              try {
                const doc = parser.parse(text) as {
                  GetCallerIdentityResponse?: {
                    GetCallerIdentityResult?: { Arn?: unknown; Account?: unknown };
                  };
                };
                const result = doc.GetCallerIdentityResponse?.GetCallerIdentityResult;
                if (typeof result?.Arn !== 'string') resolve(err('STS answer has no Arn'));
                else resolve(ok({ arn: result.Arn, account: String(result.Account ?? '') }));
              } catch (e) {
                resolve(err(`unreadable STS answer: ${(e as Error).message}`));
              }
            });
            res.on('error', (e) => resolve(err(`STS response failed: ${e.message}`)));
          },
        );
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', (e) => resolve(err(`STS unreachable: ${e.message}`)));
        req.end(signed.body);
      }),
  };
}

/**
 * Remembers STS's answer for an identical signed request for `ttlMs` (default 60 s, at most `maxEntries`), so a
 * client reusing one proof for a burst of API calls costs one STS round trip. This widens nothing: STS itself
 * accepts the same signed request for 15 minutes. Only successful verifications are kept, and the user lookup
 * (enabled, still registered) still runs on every request.
 */
export function createCachingVerifier(
  verifier: CallerIdentityVerifier,
  { clock, ttlMs = 60_000, maxEntries = 10_000 }: { clock: Clock; ttlMs?: number; maxEntries?: number },
): CallerIdentityVerifier {
  const cache = new Map<string, { expires: number; value: { arn: string; account: string } }>();
  return {
    async getCallerIdentity(signed) {
      const key = sha256Hex(
        JSON.stringify([signed.method, Object.entries(signed.headers).sort(), signed.body]),
      );
      const now = clock.now().getTime();
      const hit = cache.get(key);
      if (hit !== undefined && hit.expires > now) return ok(hit.value);
      const result = await verifier.getCallerIdentity(signed);
      if (result.ok) {
        if (cache.size >= maxEntries) cache.clear();
        cache.set(key, { expires: now + ttlMs, value: result.value });
      }
      return result;
    },
  };
}
