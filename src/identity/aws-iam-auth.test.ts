// Signed requests are produced with @smithy/signature-v4 exactly as an AWS SDK client would sign
// sts:GetCallerIdentity (STS API reference, GetCallerIdentity: POST / with Action=GetCallerIdentity&Version=2011-06-15).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { err, ok } from '../lib/result.ts';
import type { Principal } from './authenticate.ts';
import {
  checkSignedIdentityRequest,
  createAwsIamAuthentication,
  type SignedIdentityRequest,
} from './aws-iam-auth.ts';

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

async function signedRequest({
  region = 'us-east-1',
  service = 'sts',
  body = BODY,
  extraHeaders = {},
}: {
  region?: string;
  service?: string;
  body?: string;
  extraHeaders?: Record<string, string>;
} = {}): Promise<SignedIdentityRequest> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'sts.amazonaws.com',
    path: '/',
    headers: {
      host: 'sts.amazonaws.com',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...extraHeaders,
    },
    body,
  });
  const signed = await signer.sign(request);
  return { method: signed.method, headers: { ...signed.headers } as Record<string, string>, body };
}

test('a genuine signed GetCallerIdentity passes the checks, with header names lowercased', async () => {
  const req = await signedRequest({ extraHeaders: { 'X-IAM-JIT-Server-ID': 'jit.example.com' } });
  const r = checkSignedIdentityRequest(req, { region: 'us-east-1', serverId: 'jit.example.com' });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.headers['x-iam-jit-server-id'], 'jit.example.com');
  assert.match(r.value.headers.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
});

test('refuses anything but a signed GetCallerIdentity for this region and server', async () => {
  const region = 'us-east-1';
  const cases: [string, Promise<SignedIdentityRequest> | SignedIdentityRequest, RegExp, string?][] = [
    [
      'another action',
      signedRequest({ body: 'Action=AssumeRole&Version=2011-06-15' }),
      /exactly sts:GetCallerIdentity/,
    ],
    ['extra parameter', signedRequest({ body: `${BODY}&RoleArn=x` }), /exactly sts:GetCallerIdentity/],
    ['other region', signedRequest({ region: 'eu-west-1' }), /region eu-west-1, expected us-east-1/],
    ['other service', signedRequest({ service: 'iam' }), /service iam, not sts/],
    ['GET', signedRequest().then((r) => ({ ...r, method: 'GET' })), /POST/],
    ['unsigned', { method: 'POST', headers: {}, body: BODY }, /Authorization/],
    ['server id not signed', signedRequest(), /x-iam-jit-server-id/, 'jit.example.com'],
    [
      'wrong server id',
      signedRequest({ extraHeaders: { 'x-iam-jit-server-id': 'other.example.com' } }),
      /x-iam-jit-server-id/,
      'jit.example.com',
    ],
  ];
  for (const [name, input, message, serverId] of cases) {
    const r = checkSignedIdentityRequest(await input, { region, serverId });
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.match(r.error, message, name);
  }
});

test('authentication: checked requests go to STS; the ARN it reports is looked up; failures are 401 with a reason', async () => {
  const forwarded: SignedIdentityRequest[] = [];
  const looked: string[] = [];
  const principal = {
    user: { id: 'iam:arn:aws:iam::111122223333:role/Devops' },
    method: 'aws_iam',
  } as Principal;
  const auth = createAwsIamAuthentication({
    verifier: {
      async getCallerIdentity(request) {
        forwarded.push(request);
        return request.headers['x-amz-date'] === undefined
          ? err('SignatureDoesNotMatch')
          : ok({ arn: 'arn:aws:sts::111122223333:assumed-role/Devops/alice', account: '111122223333' });
      },
    },
    authenticator: {
      async authenticateAwsPrincipal(arn) {
        looked.push(arn);
        return ok(principal);
      },
    },
    region: 'us-east-1',
  });
  assert.deepEqual(await auth.authenticate(await signedRequest()), ok(principal));
  assert.deepEqual(looked, ['arn:aws:sts::111122223333:assumed-role/Devops/alice']);

  const refused = await auth.authenticate({ method: 'POST', headers: {}, body: BODY });
  assert.ok(!refused.ok && refused.error.status === 401 && refused.error.message === 'not authenticated');
  assert.equal(forwarded.length, 1, 'a request failing the checks is never forwarded');

  const req = await signedRequest();
  const { 'x-amz-date': _dropped, ...withoutDate } = req.headers;
  const rejected = await auth.authenticate({ ...req, headers: withoutDate });
  assert.ok(!rejected.ok && rejected.error.reason === 'SignatureDoesNotMatch');
});
