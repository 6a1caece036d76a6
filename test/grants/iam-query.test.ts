// The lean revocation sender (src/aws/iam-query.ts) against the SDK it replaces: every call goes once through
// `IAMClient.send` and once through the sender, over the real wire protocol, against the emulator and moto_server (the
// second target skips without moto_server, fails under CI), and both must end the same way: the same resources left,
// or the same exception class, name, message, fault and HTTP status. Retries (throttling with backoff and jitter,
// server errors, `maxAttempts`) use the emulator's fault injection; endpoint and region resolution compare the
// requests both would put on the wire for real AWS endpoints (a capturing request handler at the network edge).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  CreateRoleCommand,
  DeleteConflictException,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  type IAMClientConfig,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { createIamQuery } from '../../src/aws/iam-query.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { trustPolicyFor } from '../../src/local-aws/testing.ts';
import { skipWithout } from '../local-aws/on-path.ts';
import { EXTERNAL_ID, HUB_CREDENTIALS, SPOKE, SPOKE_ROLE_ARN, twoAccountState } from './harness.ts';
import { type Moto, motoPath, startMoto } from './moto.ts';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
});

/** What must match between the SDK's error and the sender's. */
function shape(e: unknown) {
  assert.ok(e instanceof Error);
  const m = e as Error & { $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  return {
    class: m.constructor.name,
    name: m.name,
    message: m.message,
    fault: m.$fault,
    status: m.$metadata?.httpStatusCode,
    attempts: m.$metadata?.attempts,
  };
}

async function failure(p: Promise<unknown>): Promise<ReturnType<typeof shape>> {
  try {
    await p;
  } catch (e) {
    return shape(e);
  }
  assert.fail('expected the call to fail');
}

/** The suite for one target (`url` known in `before`); `emulator` adds the cases that need fault injection. */
function suite(
  name: string,
  open: () => Promise<
    { url: string; credentials: IAMClientConfig['credentials']; close(): unknown } | undefined
  >,
  emulator?: () => LocalAws,
) {
  describe(name, () => {
    let target: Awaited<ReturnType<typeof open>>;
    before(async () => {
      target = await open();
    });
    after(() => target?.close());
    const clients = (maxAttempts = 1) => {
      const iam = new IAMClient({
        endpoint: target?.url,
        region: 'us-east-1',
        credentials: target?.credentials,
        maxAttempts,
      });
      return { iam, query: createIamQuery(iam) };
    };
    let n = 0;
    const createRole = async (iam: IAMClient, withPolicy: boolean) => {
      const roleName = `iam-jit-grt_query${n++}`;
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          Path: '/iam-jit/',
          AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::111111111111:user/broker'),
        }),
      );
      if (withPolicy)
        await iam.send(
          new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'p', PolicyDocument: POLICY }),
        );
      return roleName;
    };
    const gone = async (iam: IAMClient, roleName: string) =>
      failure(iam.send(new GetRoleCommand({ RoleName: roleName })));

    test('success: the deny, the policy and the role, as the SDK leaves them', async (t) => {
      if (target === undefined && skipWithout(t, 'moto_server', undefined)) return;
      const { iam, query } = clients();
      const roleName = await createRole(iam, true);
      await query.putRolePolicy({ RoleName: roleName, PolicyName: 'p', PolicyDocument: POLICY });
      await query.deleteRolePolicy({ RoleName: roleName, PolicyName: 'p' });
      await query.deleteRole({ RoleName: roleName });
      assert.equal((await gone(iam, roleName)).class, NoSuchEntityException.name);
    });

    test('NoSuchEntity, DeleteConflict and MalformedPolicyDocument surface as the SDK exceptions', async (t) => {
      if (target === undefined && skipWithout(t, 'moto_server', undefined)) return;
      const { iam, query } = clients();
      const missing = { RoleName: 'iam-jit-grt_missing', PolicyName: 'p' };
      const sdk = await failure(iam.send(new DeleteRolePolicyCommand(missing)));
      assert.equal(sdk.class, NoSuchEntityException.name);
      assert.deepEqual(await failure(query.deleteRolePolicy(missing)), sdk);
      await assert.rejects(query.deleteRole({ RoleName: 'iam-jit-grt_missing' }), NoSuchEntityException);

      const roleName = await createRole(iam, true);
      const conflict = await failure(iam.send(new DeleteRoleCommand({ RoleName: roleName })));
      assert.equal(conflict.class, DeleteConflictException.name);
      assert.deepEqual(await failure(query.deleteRole({ RoleName: roleName })), conflict);
      await assert.rejects(query.deleteRole({ RoleName: roleName }), DeleteConflictException);

      const bad = { RoleName: roleName, PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17"' };
      const malformed = await failure(iam.send(new PutRolePolicyCommand(bad)));
      assert.equal(malformed.class, MalformedPolicyDocumentException.name);
      assert.deepEqual(await failure(query.putRolePolicy(bad)), malformed);
    });

    if (emulator === undefined) return;

    test('AccessDenied (a principal without IAM rights) and a wrong secret surface as the SDK errors', async () => {
      const url = target?.url;
      // The spoke's provisioning role may touch only roles tagged managed-by=iam-jit: a missing role is denied.
      const session = await new STSClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: HUB_CREDENTIALS,
      }).send(
        new AssumeRoleCommand({ RoleArn: SPOKE_ROLE_ARN, RoleSessionName: 'query', ExternalId: EXTERNAL_ID }),
      );
      const denied = new IAMClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: {
          accessKeyId: session.Credentials?.AccessKeyId ?? '',
          secretAccessKey: session.Credentials?.SecretAccessKey ?? '',
          sessionToken: session.Credentials?.SessionToken ?? '',
        },
        maxAttempts: 1,
      });
      const input = { RoleName: 'iam-jit-grt_any' };
      const sdk = await failure(denied.send(new DeleteRoleCommand(input)));
      assert.equal(sdk.name, 'AccessDenied');
      assert.deepEqual(await failure(createIamQuery(denied).deleteRole(input)), sdk);

      const wrong = new IAMClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { ...HUB_CREDENTIALS, secretAccessKey: 'not-the-secret' },
        maxAttempts: 1,
      });
      const signature = await failure(wrong.send(new DeleteRoleCommand(input)));
      assert.equal(signature.name, 'SignatureDoesNotMatch');
      assert.deepEqual(await failure(createIamQuery(wrong).deleteRole(input)), signature);
    });

    test('throttling and server errors are retried up to maxAttempts, as the SDK retries them', async () => {
      const aws = emulator();
      const { iam, query } = clients(3);
      const roleName = await createRole(iam, true);
      aws.faults.throttle('DeleteRolePolicy', 2);
      await query.deleteRolePolicy({ RoleName: roleName, PolicyName: 'p' });
      assert.deepEqual(aws.faults.list(), []);

      aws.faults.fail('DeleteRole', { code: 'ServiceFailure', message: 'boom', status: 500 }, 1);
      await query.deleteRole({ RoleName: roleName });
      assert.equal((await gone(iam, roleName)).class, NoSuchEntityException.name);

      const input = { RoleName: 'iam-jit-grt_throttled' };
      aws.faults.throttle('DeleteRole', 3);
      const sdk = await failure(iam.send(new DeleteRoleCommand(input)));
      assert.deepEqual([sdk.name, sdk.attempts], ['Throttling', 3]);
      aws.faults.throttle('DeleteRole', 3);
      assert.deepEqual(await failure(query.deleteRole(input)), sdk);
      assert.deepEqual(aws.faults.list(), []);

      // An undecodable 502 (a proxy's HTML page) is retried like the SDK retries it: by its HTTP status.
      aws.faults.fail('DeleteRole', { code: 'BadGateway', status: 502 }, 1);
      const badGateway = new IAMClient({
        endpoint: target?.url,
        region: 'us-east-1',
        credentials: target?.credentials,
        maxAttempts: 2,
        requestHandler: {
          handle: async (request: HttpRequest) => {
            const { response } = await iam.config.requestHandler.handle(request as never);
            if (response.statusCode !== 502) return { response };
            return {
              response: new HttpResponse({
                statusCode: 502,
                headers: { 'content-type': 'text/html' },
                body: Readable.from([Buffer.from('<html><body>502 Bad Gateway</html>')]),
              }),
            };
          },
        },
      });
      await assert.rejects(createIamQuery(badGateway).deleteRole(input), NoSuchEntityException);
      assert.deepEqual(aws.faults.list(), []);
      aws.faults.fail('DeleteRole', { code: 'BadGateway', status: 502 }, 2);
      const sdk502 = await failure(badGateway.send(new DeleteRoleCommand(input), {}));
      assert.deepEqual([sdk502.status, sdk502.attempts], [502, 2]);
      assert.match(sdk502.message, /XML parse error[\s\S]*Deserialization error/);
      aws.faults.fail('DeleteRole', { code: 'BadGateway', status: 502 }, 2);
      assert.deepEqual(await failure(createIamQuery(badGateway).deleteRole(input)), sdk502);

      // maxAttempts 1: no retry; a client error (NoSuchEntity) is never retried.
      aws.faults.throttle('DeleteRole', 1);
      assert.equal((await failure(clients(1).query.deleteRole(input))).name, 'Throttling');
      aws.faults.latency(0, 'DeleteRole', 100);
      assert.equal((await failure(query.deleteRole(input))).attempts, 1);
      assert.equal(aws.faults.list()[0]?.count, 99);
      aws.faults.reset();
    });

    test("the adapter's abort signal stops waiting for a revocation call in flight", async () => {
      const aws = emulator();
      const port = createGrantAws({ endpoint: target?.url, hubCredentials: HUB_CREDENTIALS, maxAttempts: 1 });
      const spoke = { accountId: SPOKE, spokeRoleArn: SPOKE_ROLE_ARN, externalId: EXTERNAL_ID };
      await port.deleteRole(spoke, 'iam-jit-grt_never_created', new Date()); // warms the spoke session
      aws.faults.pause();
      const controller = new AbortController();
      const pending = port.deleteRole(spoke, 'iam-jit-grt_paused', new Date(), controller.signal, {
        expired: true,
      });
      for (let i = 0; i < 200 && aws.faults.held === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(aws.faults.held, 1);
      controller.abort(new Error('job lease lost'));
      await assert.rejects(pending, /job lease lost/);
      await assert.rejects(
        port.deleteRole(spoke, 'iam-jit-grt_paused', new Date(), controller.signal),
        /job lease lost/,
      );
      assert.equal(aws.faults.held, 1);
      aws.faults.resume();
    });
  });
}

let local: LocalAws | undefined;
suite(
  'iam-query against the emulator',
  async () => {
    local = await startLocalAws({ state: twoAccountState(new Date()) });
    return {
      url: local.url,
      credentials: { accessKeyId: `AKIA${SPOKE}ROOT`, secretAccessKey: `local-aws-root-secret-${SPOKE}` },
      close: () => local?.close(),
    };
  },
  () => {
    assert.ok(local);
    return local;
  },
);

suite('iam-query against moto_server', async () => {
  if (motoPath === undefined) return undefined;
  const moto: Moto = await startMoto(motoPath);
  return {
    url: moto.url,
    credentials: { accessKeyId: 'AKIAMOTOTESTKEY00000', secretAccessKey: 'moto-secret' },
    close: () => moto.stop(),
  };
});

/** A request handler at the network edge that records requests and answers as IAM does to a delete. */
function capturing(requests: HttpRequest[]) {
  return {
    handle: async (request: HttpRequest) => {
      requests.push(request);
      const body = `<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteRoleResponse>`;
      return {
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(body)]),
        }),
      };
    },
  };
}

const onTheWire = (r: HttpRequest) => ({
  method: r.method,
  url: `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}`,
  contentType: r.headers['content-type'],
  body: r.body,
  // Credential scope: key / date / signing region / service.
  scope: /Credential=[^/]+\/\d{8}\/([^,]+)\/aws4_request/.exec(r.headers.authorization ?? '')?.[1],
  signedHeaders: /SignedHeaders=([^,]+)/
    .exec(r.headers.authorization ?? '')?.[1]
    ?.split(';')
    .includes('host'),
  token: r.headers['x-amz-security-token'],
  // The SDK's user agent; the sender computes it once, without the per-call feature flags (`m/…`).
  userAgent: r.headers['user-agent']?.replace(/ m\/\S+/, ''),
  sdkUserAgent: r.headers['x-amz-user-agent'],
});

test('endpoint, region and user agent: the sender puts on the wire what the SDK would, in every partition and FIPS', async () => {
  const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
  const cases: IAMClientConfig[] = [
    { region: 'us-east-1' },
    { region: 'eu-west-1' },
    { region: 'cn-north-1' },
    { region: 'us-gov-west-1' },
    { region: 'us-east-1', useFipsEndpoint: true },
    { region: 'eu-central-1', endpoint: 'https://iam.example.internal:8443/base' },
    { region: 'us-east-1', customUserAgent: 'ops-team/1.2', userAgentAppId: 'iam-jit' },
  ];
  for (const config of cases) {
    const sdkRequests: HttpRequest[] = [];
    const leanRequests: HttpRequest[] = [];
    const sdk = new IAMClient({ ...config, credentials, requestHandler: capturing(sdkRequests) });
    const lean = new IAMClient({ ...config, credentials, requestHandler: capturing(leanRequests) });
    const input = { RoleName: 'iam-jit-grt_wire', PolicyName: 'iam-jit-grant' };
    await sdk.send(new DeleteRolePolicyCommand(input));
    await createIamQuery(lean).deleteRolePolicy(input);
    const [expected] = sdkRequests.map(onTheWire);
    assert.ok(expected?.scope, JSON.stringify(config));
    assert.deepEqual(leanRequests.map(onTheWire), [expected], JSON.stringify(config));
  }
});
