import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { CallerIdentityVerifier, SignedIdentityRequest } from '../identity/aws-iam-auth.ts';
import { createFakeClock } from '../lib/clock.ts';
import { err, ok } from '../lib/result.ts';
import { createCachingVerifier, createStsVerifier } from './sts-verifier.ts';

const request = (signature: string): SignedIdentityRequest => ({
  method: 'POST',
  headers: { host: 'sts.example', authorization: `AWS4-HMAC-SHA256 Signature=${signature}` },
  body: 'Action=GetCallerIdentity&Version=2011-06-15',
});

test('the caching verifier asks STS once per identical proof within 60 s, and never caches refusals', async () => {
  const clock = createFakeClock();
  const calls: string[] = [];
  const inner: CallerIdentityVerifier = {
    async getCallerIdentity(r) {
      calls.push(r.headers.authorization ?? '');
      return r.headers.authorization?.endsWith('bad')
        ? err('SignatureDoesNotMatch')
        : ok({ arn: 'arn:aws:iam::111122223333:user/a', account: '111122223333' });
    },
  };
  const cached = createCachingVerifier(inner, { clock });
  assert.ok((await cached.getCallerIdentity(request('a'))).ok);
  assert.ok((await cached.getCallerIdentity(request('a'))).ok);
  assert.equal(calls.length, 1);
  assert.ok((await cached.getCallerIdentity(request('b'))).ok);
  assert.equal(calls.length, 2);
  assert.equal((await cached.getCallerIdentity(request('bad'))).ok, false);
  assert.equal((await cached.getCallerIdentity(request('bad'))).ok, false);
  assert.equal(calls.length, 4);
  clock.advance(60_000);
  assert.ok((await cached.getCallerIdentity(request('a'))).ok);
  assert.equal(calls.length, 5);
});

test('the STS verifier forwards the signed Host and body and reads Arn from the XML answer; errors are values', async () => {
  let seen: { host?: string; body: string } = { body: '' };
  const sts = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen = { host: req.headers.host, body };
      if (req.headers.authorization?.endsWith('bad')) {
        res
          .writeHead(403, { 'content-type': 'text/xml' })
          .end('<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/Dev/s</Arn><UserId>AROA:s</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
        );
    });
  });
  await new Promise<void>((r) => sts.listen(0, '127.0.0.1', () => r()));
  const { port } = sts.address() as AddressInfo;
  try {
    const verifier = createStsVerifier({ endpoint: `http://127.0.0.1:${port}` });
    const good = await verifier.getCallerIdentity(request('a'));
    assert.deepEqual(
      good,
      ok({ arn: 'arn:aws:sts::111122223333:assumed-role/Dev/s', account: '111122223333' }),
    );
    assert.equal(seen.host, 'sts.example');
    assert.equal(seen.body, 'Action=GetCallerIdentity&Version=2011-06-15');
    const bad = await verifier.getCallerIdentity(request('bad'));
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /STS answered 403/);
  } finally {
    await new Promise<void>((r) => sts.close(() => r()));
  }
  const down = await createStsVerifier({ endpoint: `http://127.0.0.1:${port}` }).getCallerIdentity(
    request('a'),
  );
  assert.equal(down.ok, false);
  assert.match(down.ok ? '' : down.error, /STS unreachable/);
});
