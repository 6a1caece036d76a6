// Source of expected codes: botocore service models (iam 2010-05-08, sts 2011-06-15) and the AWS
// "Common Errors" pages (InvalidClientTokenId, SignatureDoesNotMatch, MissingAuthenticationToken: 403).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_ACCOUNT_ID, defaultRootCredentials, defaultUserCredentials } from './seed.ts';
import { type LocalAws, startLocalAws } from './server.ts';
import { sdkClients } from './testing.ts';

let aws: LocalAws;
before(async () => {
  aws = await startLocalAws();
});
after(async () => {
  await aws.close();
});

test('binds loopback on a free port by default', () => {
  assert.match(aws.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(aws.port > 0);
});

test('GetCallerIdentity answers for the root key and an IAM user key', async () => {
  const root = await sdkClients(aws.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID)).sts.send(
    new GetCallerIdentityCommand({}),
  );
  assert.equal(root.Account, DEFAULT_ACCOUNT_ID);
  assert.equal(root.Arn, `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`);
  assert.equal(root.UserId, DEFAULT_ACCOUNT_ID);
  const user = await sdkClients(aws.url, defaultUserCredentials(DEFAULT_ACCOUNT_ID)).sts.send(
    new GetCallerIdentityCommand({}),
  );
  assert.equal(user.Arn, `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:user/local-admin`);
  assert.match(user.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
});

test('a wrong secret is SignatureDoesNotMatch (query protocol, 403)', async () => {
  const { accessKeyId } = defaultRootCredentials(DEFAULT_ACCOUNT_ID);
  const { sts } = sdkClients(aws.url, { accessKeyId, secretAccessKey: 'not-the-secret' });
  await assert.rejects(
    sts.send(new GetCallerIdentityCommand({})),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'SignatureDoesNotMatch');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      return true;
    },
  );
});

test('an unknown access key is InvalidClientTokenId, for IAM too', async () => {
  const { iam } = sdkClients(aws.url, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'r' })), { name: 'InvalidClientTokenId' });
});

test('an unsigned request is MissingAuthenticationToken in query XML', async () => {
  const res = await fetch(aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  assert.equal(res.status, 403);
  const text = await res.text();
  assert.match(text, /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  assert.match(text, /<Code>MissingAuthenticationToken<\/Code>/);
});

test('a tampered body fails the signature check', async () => {
  // Sign a request for one body and send another, by intercepting the SDK's HTTP handler.
  const { sts } = sdkClients(aws.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID));
  sts.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: string; headers: Record<string, string> };
      request.body = `${request.body ?? ''}&Extra=1`;
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low' },
  );
  await assert.rejects(sts.send(new GetCallerIdentityCommand({})), { name: 'SignatureDoesNotMatch' });
});

test('a request signed more than 15 minutes away from the wall clock is "Signature expired"', async () => {
  const config = {
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: defaultRootCredentials(DEFAULT_ACCOUNT_ID),
    maxAttempts: 1,
    systemClockOffset: -16 * 60 * 1000,
  };
  await assert.rejects(new STSClient(config).send(new GetCallerIdentityCommand({})), (e: Error) => {
    assert.equal(e.name, 'SignatureDoesNotMatch');
    assert.match(e.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    return true;
  });
  const future = new STSClient({ ...config, systemClockOffset: 16 * 60 * 1000 });
  await assert.rejects(future.send(new GetCallerIdentityCommand({})), {
    name: 'SignatureDoesNotMatch',
    message: /^Signature not yet current/,
  });
});

/** Signs and sends a raw request the way any SigV4 client would (not through an AWS SDK client). */
async function signedFetch(options: {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  service: string;
}) {
  const url = new URL(aws.url);
  const signer = new SignatureV4({
    service: options.service,
    region: 'us-east-1',
    credentials: defaultRootCredentials(DEFAULT_ACCOUNT_ID),
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: options.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: options.path,
      query: options.query ?? {},
      headers: { host: url.host, ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
    }),
  );
  const qs = new URLSearchParams(options.query ?? {}).toString();
  return fetch(`${aws.url}${options.path}${qs ? `?${qs}` : ''}`, {
    method: options.method,
    headers: signed.headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

test('raw SigV4 clients work: a signed GET with the action in the query string', async () => {
  const res = await signedFetch({
    method: 'GET',
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    service: 'sts',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml');
  const xml = await res.text();
  assert.match(xml, /<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
  assert.match(xml, /<Arn>arn:aws:iam::111111111111:root<\/Arn>/);
});

test('unknown operations: InvalidAction (query) and UnknownOperationException (JSON 1.1)', async () => {
  const query = await signedFetch({
    method: 'POST',
    path: '/',
    body: 'Action=ExplodeRole&Version=2010-05-08',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    service: 'iam',
  });
  assert.equal(query.status, 400);
  assert.match(await query.text(), /<Code>InvalidAction<\/Code>/);
  const json = await signedFetch({
    method: 'POST',
    path: '/',
    body: '{}',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'SWBExternalService.ExplodeInstance',
    },
    service: 'sso',
  });
  assert.equal(json.status, 400);
  assert.equal(json.headers.get('content-type'), 'application/x-amz-json-1.1');
  assert.equal(((await json.json()) as { __type: string }).__type, 'UnknownOperationException');
});
