// The AWS adapter's spoke sessions (src/aws/grant-aws.ts) against the emulator: one AssumeRole of the spoke role per
// account and session lifetime, shared by concurrent revocations, and a fresh one shortly before the session expires
// (STS AssumeRole: DurationSeconds 3600).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateRoleCommand, GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { createFakeClock } from '../../src/lib/clock.ts';
import { type LocalAws, startLocalAws } from '../../src/local-aws/index.ts';
import { sdkClients, trustPolicyFor } from '../../src/local-aws/testing.ts';
import {
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountState,
} from './harness.ts';

const clock = createFakeClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const target = { accountId: SPOKE, spokeRoleArn: SPOKE_ROLE_ARN, externalId: EXTERNAL_ID };
let aws: LocalAws;
let admin: ReturnType<typeof sdkClients>;

before(async () => {
  aws = await startLocalAws({ state: twoAccountState(clock.now()), now: () => clock.now() });
  admin = sdkClients(aws.url, {
    accessKeyId: `AKIA${SPOKE}ROOT`,
    secretAccessKey: `local-aws-root-secret-${SPOKE}`,
  });
});
after(() => aws.close());

const spokeSessions = () =>
  Object.values(aws.state.sessions).filter((s) => s.roleArn === SPOKE_ROLE_ARN).length;

async function createGrantRoles(names: string[]): Promise<void> {
  for (const name of names)
    await admin.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path: '/iam-jit/',
        AssumeRolePolicyDocument: trustPolicyFor(BROKER_ARN),
        Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
      }),
    );
}

async function roleExists(name: string): Promise<boolean> {
  try {
    await admin.iam.send(new GetRoleCommand({ RoleName: name }));
    return true;
  } catch (e) {
    if (e instanceof NoSuchEntityException) return false;
    throw e;
  }
}

test('concurrent revocations in one account share one spoke session; it is renewed 5 minutes before expiry', async () => {
  const port = createGrantAws({
    endpoint: aws.url,
    hubCredentials: HUB_CREDENTIALS,
    maxAttempts: 1,
    now: () => clock.now(),
  });
  const first = Array.from({ length: 20 }, (_, n) => `iam-jit-grt_session_${n}`);
  await createGrantRoles(first);
  const before = spokeSessions();
  await Promise.all(first.map((name) => port.deleteRole(target, name, clock.now())));
  assert.equal(spokeSessions() - before, 1);
  for (const name of first) assert.equal(await roleExists(name), false, name);

  // 55 minutes later the 1-hour session is within the 5-minute margin: the next call assumes the role again.
  clock.advance(55 * 60_000 + 1000);
  await createGrantRoles(['iam-jit-grt_session_late']);
  await port.deleteRole(target, 'iam-jit-grt_session_late', clock.now());
  assert.equal(spokeSessions() - before, 2);
  assert.equal(await roleExists('iam-jit-grt_session_late'), false);
});

test('a caller whose signal aborts stops waiting for the shared AssumeRole; the others still get the session', async () => {
  const port = createGrantAws({
    endpoint: aws.url,
    hubCredentials: HUB_CREDENTIALS,
    maxAttempts: 1,
    now: () => clock.now(),
  });
  await createGrantRoles(['iam-jit-grt_abort_a', 'iam-jit-grt_abort_b']);
  aws.faults.latency(200, 'AssumeRole', 1);
  const controller = new AbortController();
  const aborted = port.deleteRole(target, 'iam-jit-grt_abort_a', clock.now(), controller.signal);
  const other = port.deleteRole(target, 'iam-jit-grt_abort_b', clock.now());
  controller.abort(new Error('stopping'));
  await assert.rejects(aborted, /stopping/);
  await other;
  assert.equal(await roleExists('iam-jit-grt_abort_a'), true);
  assert.equal(await roleExists('iam-jit-grt_abort_b'), false);
});
