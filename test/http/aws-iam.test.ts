// aws_iam mode against the built-in AWS emulator's STS (src/local-aws): callers sign sts:GetCallerIdentity with
// their own credentials (as the AWS SDK would; STS API reference, GetCallerIdentity) and send it in
// X-IAM-JIT-AWS-Auth; the server forwards it to the configured STS endpoint and maps the ARN to an `iam:` user.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultUserCredentials } from '../../src/local-aws/seed.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/server.ts';
import { sdkClients, type TestCredentials, trustPolicyFor } from '../../src/local-aws/testing.ts';
import { forEachDialect } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { call, startTestServer } from './harness.ts';

const ACCOUNT = '111111111111';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/local-admin`;

/** The X-IAM-JIT-AWS-Auth value: a signed GetCallerIdentity for `endpoint`, base64 JSON. */
async function awsProof(
  endpoint: string,
  credentials: TestCredentials,
  { region = 'us-east-1', headers = {} }: { region?: string; headers?: Record<string, string> } = {},
): Promise<string> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Hash.bind(null, 'sha256') });
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...headers,
      },
      body,
    }),
  );
  return Buffer.from(JSON.stringify({ method: 'POST', headers: signed.headers, body })).toString('base64');
}

forEachDialect('HTTP aws_iam authentication', (ctx) => {
  let aws: LocalAws;
  const user = defaultUserCredentials(ACCOUNT);
  before(async () => {
    aws = await startLocalAws();
    await seedUser(ctx.database, { id: `iam:${USER_ARN}`, roles: ['approver'] });
  });
  after(async () => aws.close());

  const awsEnv = () => ({
    IAM_JIT_AUTH_MODE: 'aws_iam',
    IAM_JIT_STS_ENDPOINT: aws.url,
    IAM_JIT_STS_REGION: 'us-east-1',
  });

  test('a registered IAM user is authenticated from its signed GetCallerIdentity; no Origin needed', async () => {
    const server = await startTestServer(ctx.database, { env: awsEnv() });
    try {
      const proof = await awsProof(aws.url, user);
      const me = await call(server, 'GET', '/api/v1/users/me', { headers: { 'x-iam-jit-aws-auth': proof } });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.user_id, `iam:${USER_ARN}`);
      assert.equal(me.body.auth_method, 'aws_iam');
      const token = await call(server, 'POST', '/api/v1/tokens', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, user) },
        body: { label: 'from-aws' },
      });
      assert.equal(token.status, 201);
    } finally {
      await server.close();
    }
  });

  test('an assumed-role session maps to its role; unregistered principals get the §7 403', async () => {
    const admin = sdkClients(aws.url, user);
    await admin.iam.send(
      new CreateRoleCommand({ RoleName: 'Devops', AssumeRolePolicyDocument: trustPolicyFor(USER_ARN) }),
    );
    const assumed = await admin.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Devops`, RoleSessionName: 'alice' }),
    );
    const c = assumed.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    const session = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
    const server = await startTestServer(ctx.database, { env: awsEnv() });
    try {
      const unregistered = await call(server, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, session) },
      });
      assert.equal(unregistered.status, 403);
      assert.deepEqual(unregistered.body, {
        error: { code: 'Forbidden', message: 'user is no longer in the iam-jit user list' },
      });
      await seedUser(ctx.database, { id: `iam:arn:aws:iam::${ACCOUNT}:role/Devops` });
      const me = await call(server, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, session) },
      });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.user_id, `iam:arn:aws:iam::${ACCOUNT}:role/Devops`);
    } finally {
      await server.close();
    }
  });

  test('forged, mis-scoped or undecodable proofs are 401 "not authenticated" with WWW-Authenticate', async () => {
    const server = await startTestServer(ctx.database, { env: awsEnv() });
    try {
      const forged = await awsProof(aws.url, { ...user, secretAccessKey: 'wrong-secret' });
      const otherRegion = await awsProof(aws.url, user, { region: 'eu-west-1' });
      for (const proof of [forged, otherRegion, 'not base64 json']) {
        const r = await call(server, 'GET', '/api/v1/users/me', { headers: { 'x-iam-jit-aws-auth': proof } });
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        assert.equal(r.body.error?.message, 'not authenticated');
      }
    } finally {
      await server.close();
    }
  });

  test('IAM_JIT_IAM_SERVER_ID: the proof must sign X-IAM-JIT-Server-ID with this value', async () => {
    const server = await startTestServer(ctx.database, {
      env: { ...awsEnv(), IAM_JIT_IAM_SERVER_ID: 'jit.example.com' },
    });
    try {
      const without = await call(server, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, user) },
      });
      assert.equal(without.status, 401);
      const withId = await call(server, 'GET', '/api/v1/users/me', {
        headers: {
          'x-iam-jit-aws-auth': await awsProof(aws.url, user, {
            headers: { 'x-iam-jit-server-id': 'jit.example.com' },
          }),
        },
      });
      assert.equal(withId.status, 200, withId.text);
    } finally {
      await server.close();
    }
  });

  test('IAM_JIT_STS_REGION: proofs must be signed for the configured region', async () => {
    const server = await startTestServer(ctx.database, {
      env: { ...awsEnv(), IAM_JIT_STS_REGION: 'eu-west-1' },
    });
    try {
      const euProof = await awsProof(aws.url, user, { region: 'eu-west-1' });
      const eu = await call(server, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': euProof },
      });
      assert.equal(eu.status, 200, eu.text);
      const usProof = await awsProof(aws.url, user);
      const us = await call(server, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': usProof },
      });
      assert.equal(us.status, 401);
    } finally {
      await server.close();
    }
  });

  test('IAM_JIT_AUTH_MODE=local ignores AWS proofs; IAM_JIT_STS_ENDPOINT is where proofs go', async () => {
    const local = await startTestServer(ctx.database);
    try {
      const r = await call(local, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, user) },
      });
      assert.equal(r.status, 401);
    } finally {
      await local.close();
    }
    const nowhere = await startTestServer(ctx.database, {
      env: { ...awsEnv(), IAM_JIT_STS_ENDPOINT: 'http://127.0.0.1:9' },
    });
    try {
      const r = await call(nowhere, 'GET', '/api/v1/users/me', {
        headers: { 'x-iam-jit-aws-auth': await awsProof(aws.url, user) },
      });
      assert.equal(r.status, 401);
    } finally {
      await nowhere.close();
    }
  });
});
