import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAuthorization, verifySignature } from './sigv4.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

/** A request signed by the AWS SDK's own signer, in the shape the server receives it. */
async function signedRequest(options: {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
  secret?: string;
  sessionToken?: string;
  service?: string;
  region?: string;
  date?: Date;
  signableHeaders?: Set<string>;
  unsignableHeaders?: Set<string>;
}) {
  const body = options.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const request = new HttpRequest({
    method: options.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: options.path ?? '/',
    query: options.query ?? {},
    headers: {
      host: '127.0.0.1:4566',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...options.headers,
    },
    body,
  });
  const signer = new SignatureV4({
    service: options.service ?? 'sts',
    region: options.region ?? 'us-east-1',
    credentials: {
      accessKeyId: KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, {
    signingDate: options.date ?? new Date(),
    ...(options.signableHeaders ? { signableHeaders: options.signableHeaders } : {}),
    ...(options.unsignableHeaders ? { unsignableHeaders: options.unsignableHeaders } : {}),
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(signed.query ?? {}))
    for (const one of Array.isArray(v) ? v : [v ?? '']) search.append(k, one);
  const qs = search.toString();
  const auth = parseAuthorization(headers.authorization);
  assert.ok(auth, 'the SDK signer wrote a SigV4 Authorization header');
  return {
    request: { method: signed.method, url: `${signed.path}${qs ? `?${qs}` : ''}`, headers, body },
    auth,
  };
}

/** What the emulator computed before (re-signing with `@smithy/signature-v4`): the oracle for equivalence. */
async function resignedBySmithy(
  request: { method: string; url: string; headers: Record<string, string>; body: string },
  auth: NonNullable<ReturnType<typeof parseAuthorization>>,
  secret: { secretAccessKey: string; sessionToken?: string },
): Promise<string> {
  const signed = new Set(auth.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) headers[name] = request.headers[name] as string;
  const q = request.url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    credentials: {
      accessKeyId: auth.accessKeyId,
      secretAccessKey: secret.secretAccessKey,
      ...(signed.has('x-amz-security-token') && secret.sessionToken
        ? { sessionToken: secret.sessionToken }
        : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const amz = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(request.headers['x-amz-date'] ?? '');
  assert.ok(amz);
  const result = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: q < 0 ? request.url : request.url.slice(0, q),
      query,
      headers,
      body: request.body,
    }),
    {
      signingDate: new Date(Date.UTC(+amz[1]!, +amz[2]! - 1, +amz[3]!, +amz[4]!, +amz[5]!, +amz[6]!)),
      signingRegion: auth.region,
      signingService: auth.service,
      signableHeaders: signed,
    },
  );
  return parseAuthorization(result.headers.authorization)?.signature ?? '';
}

const CASES: Array<[string, Parameters<typeof signedRequest>[0]]> = [
  ['an STS query POST', {}],
  [
    'an IAM call with a policy document',
    {
      service: 'iam',
      body: `Action=PutRolePolicy&PolicyDocument=${encodeURIComponent('{"Version":"2012-10-17","Statement":[]}')}&RoleName=r&Version=2010-05-08`,
    },
  ],
  [
    'a JSON 1.1 call with X-Amz-Target',
    {
      service: 'sso',
      region: 'eu-west-1',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'SWBExternalService.ListInstances',
      },
      body: '{}',
    },
  ],
  ['a session token', { sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=' }],
  [
    'a GET with the action, repeated keys and escapes in the query',
    {
      method: 'GET',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15', b: ['2', '1'], 'k y': "it's (x)*!" },
      body: '',
    },
  ],
  ['a path with dot segments, a trailing slash and escapes', { path: '/a/./b/../c d/', body: '' }],
  ['header values with runs of blanks and tabs', { headers: { 'x-amz-meta': '  a \t  b  ' } }],
  ['a signed x-amz-content-sha256', { signableHeaders: new Set(['x-amz-content-sha256', 'host']) }],
  [
    'a signed user-agent (normally unsignable)',
    {
      headers: { 'user-agent': 'aws-cli/2 md/x' },
      signableHeaders: new Set(['user-agent']),
    },
  ],
  [
    'a date a day ago in another region',
    {
      region: 'ap-southeast-2',
      date: new Date(Date.now() - 86_400_000),
    },
  ],
];

for (const [name, options] of CASES) {
  test(`SigV4: ${name} verifies, and the signature is the one the SDK signer computes`, async () => {
    const { request, auth } = await signedRequest(options);
    const secret = { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: options.sessionToken ?? '' };
    assert.equal(await resignedBySmithy(request, auth, secret), auth.signature);
    assert.equal(await verifySignature(request, auth, secret), true);
    const tampered = { ...request, body: `${request.body} ` };
    assert.equal(await verifySignature(tampered, auth, secret), false);
  });
}

test('SigV4: a request altered on the way is rejected', async () => {
  const { request, auth } = await signedRequest({ headers: { 'x-amz-meta': 'a' } });
  const secret = { accessKeyId: KEY_ID, secretAccessKey: SECRET };
  const altered = [
    { ...request, url: '/other' },
    { ...request, url: '/?Extra=1' },
    { ...request, method: 'PUT' },
    { ...request, headers: { ...request.headers, host: 'evil.example' } },
    { ...request, headers: { ...request.headers, 'x-amz-date': '20200101T000000Z' } },
  ];
  for (const r of altered) {
    assert.equal(await verifySignature(r, auth, secret), false, `${r.method} ${r.url}`);
  }
  // A header listed in SignedHeaders but absent cannot be verified.
  const { host: _host, ...withoutHost } = request.headers;
  assert.equal(await verifySignature({ ...request, headers: withoutHost }, auth, secret), false);
  // A supplied x-amz-content-sha256 must be the body's hash, signed or not.
  const lying = { ...request, headers: { ...request.headers, 'x-amz-content-sha256': '0'.repeat(64) } };
  assert.equal(await verifySignature(lying, auth, secret), false);
});

test('SigV4: a key id whose secret changed is checked against the new secret, not a cached key', async () => {
  const { request, auth } = await signedRequest({ secret: 'old-secret' });
  assert.equal(
    await verifySignature(request, auth, { accessKeyId: KEY_ID, secretAccessKey: 'old-secret' }),
    true,
  );
  assert.equal(
    await verifySignature(request, auth, { accessKeyId: KEY_ID, secretAccessKey: 'new-secret' }),
    false,
  );
  const fresh = await signedRequest({ secret: 'new-secret' });
  assert.equal(
    await verifySignature(fresh.request, fresh.auth, { accessKeyId: KEY_ID, secretAccessKey: 'new-secret' }),
    true,
  );
  assert.equal(
    await verifySignature(fresh.request, fresh.auth, { accessKeyId: KEY_ID, secretAccessKey: 'old-secret' }),
    false,
  );
});
