// Fault injection through the in-process API and the admin endpoint. Throttling codes per protocol from the
// botocore models (query: Throttling; JSON 1.1: ThrottlingException).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DEFAULT_ACCOUNT_ID, defaultRootCredentials } from './seed.ts';
import { type LocalAws, startLocalAws } from './server.ts';
import { sdkClients } from './testing.ts';

let aws: LocalAws;
const clients = () => sdkClients(aws.url, defaultRootCredentials(DEFAULT_ACCOUNT_ID));
before(async () => {
  aws = await startLocalAws();
});
beforeEach(() => aws.faults.reset());
after(async () => {
  await aws.close();
});

test('throttle the next N calls of one operation (query and JSON codes)', async () => {
  aws.faults.throttle('ListRoles', 2);
  aws.faults.throttle('sso:ListInstances');
  const { iam, sso } = clients();
  await assert.rejects(iam.send(new ListRolesCommand({})), { name: 'Throttling' });
  await assert.rejects(iam.send(new ListRolesCommand({})), { name: 'Throttling' });
  await iam.send(new ListRolesCommand({}));
  await assert.rejects(sso.send(new ListInstancesCommand({})), { name: 'ThrottlingException' });
  await sso.send(new ListInstancesCommand({}));
});

test('fail one call with a given error and status', async () => {
  aws.faults.fail('iam:GetRole', { code: 'ServiceFailure', message: 'boom', status: 500 });
  const { iam } = clients();
  await assert.rejects(
    iam.send(new GetRoleCommand({ RoleName: 'x' })),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ServiceFailureException');
      assert.equal(e.message, 'boom');
      assert.equal(e.$metadata?.httpStatusCode, 500);
      return true;
    },
  );
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'x' })), { name: 'NoSuchEntityException' });
});

test('drop the connection', async () => {
  aws.faults.drop('GetCallerIdentity');
  const { sts } = clients();
  await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error) => {
    assert.match(`${e.name} ${e.message}`, /socket hang up|ECONNRESET|closed/i);
    return true;
  });
  await sts.send(new GetCallerIdentityCommand({}));
});

test('pause holds calls until resume; admin endpoint stays reachable', async () => {
  const res = await fetch(`${aws.url}/_local-aws/pause`, { method: 'POST' });
  assert.equal(res.status, 200);
  let settled = false;
  const call = clients()
    .sts.send(new GetCallerIdentityCommand({}))
    .finally(() => {
      settled = true;
    });
  let health = { ok: false, paused: false, held: 0 };
  for (let i = 0; i < 200 && health.held === 0; i++) {
    await new Promise((r) => setTimeout(r, 5));
    health = (await (await fetch(`${aws.url}/_local-aws/health`)).json()) as typeof health;
  }
  assert.deepEqual(health, { ok: true, paused: true, held: 1 });
  assert.equal(settled, false);
  await fetch(`${aws.url}/_local-aws/resume`, { method: 'POST' });
  const out = await call;
  assert.equal(out.Account, DEFAULT_ACCOUNT_ID);
});

test('latency rules delay matching calls and are listed by the admin endpoint', async () => {
  const add = await fetch(`${aws.url}/_local-aws/faults`, {
    method: 'POST',
    body: JSON.stringify({ type: 'latency', operation: 'GetCallerIdentity', ms: 5, count: 1 }),
  });
  assert.equal(add.status, 200);
  const listed = (await (await fetch(`${aws.url}/_local-aws/faults`)).json()) as { faults: unknown[] };
  assert.deepEqual(listed.faults, [{ type: 'latency', operation: 'GetCallerIdentity', ms: 5, count: 1 }]);
  await clients().sts.send(new GetCallerIdentityCommand({}));
  const after = (await (await fetch(`${aws.url}/_local-aws/faults`)).json()) as { faults: unknown[] };
  assert.deepEqual(after.faults, [], 'the rule is consumed');
});

test('the admin endpoint rejects malformed fault rules', async () => {
  const res = await fetch(`${aws.url}/_local-aws/faults`, {
    method: 'POST',
    body: JSON.stringify({ type: 'explode', operation: 'x' }),
  });
  assert.equal(res.status, 400);
  const bad = await fetch(`${aws.url}/_local-aws/faults`, {
    method: 'POST',
    body: JSON.stringify({ type: 'fail', operation: 'x' }),
  });
  assert.equal(bad.status, 400);
});
