// The provisioning adapter (src/aws/grant-aws.ts) against moto_server as a second AWS target: the hub assumes the
// spoke role, converges a grant role (trust, tags, boundary, session length, time-bounded policy), vends credentials
// with a SourceIdentity, and revocation removes the role. moto does not evaluate policies, so only the calls and
// the resulting resources are compared. Skipped with a message when moto_server is not on PATH (fails under CI).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { spokeTrustPolicy } from '../../src/aws/bootstrap-policies.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import type { Grant } from '../../src/grants/grant.ts';
import { roleSpecFor } from '../../src/grants/grant-lifecycle.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import { findOnPath, skipWithout } from '../local-aws/on-path.ts';

const ACCOUNT = '123456789012';
const KEYS = { accessKeyId: 'AKIAMOTOTESTKEY00000', secretAccessKey: 'moto-secret' };
const motoPath = findOnPath('moto_server');
let moto: ChildProcess | undefined;
let url = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (!motoPath) return;
  const port = await freePort();
  moto = spawn(motoPath, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (moto.exitCode !== null) throw new Error(`moto_server exited with ${moto.exitCode}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('moto_server did not start within 30 s');
});
after(() => {
  moto?.kill('SIGTERM');
});

test('moto_server: provision, vend, revoke through the real adapter', async (t) => {
  if (skipWithout(t, 'moto_server', motoPath)) return;
  const admin = sdkClients(url, KEYS);
  const broker = `arn:aws:iam::${ACCOUNT}:user/broker`;
  await admin.iam.send(
    new CreateRoleCommand({
      RoleName: 'iam-jit-provisioner',
      AssumeRolePolicyDocument: JSON.stringify(spokeTrustPolicy(broker, 'ext-0123456789abcdef')),
    }),
  );
  await admin.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'iam-jit-boundary',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }],
      }),
    }),
  );
  const now = new Date();
  const grant: Grant = {
    id: 'grt_moto0000000000000000000000',
    requestId: 'req_moto0000000000000000000000',
    accountId: ACCOUNT,
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status: 'pending',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
    },
    notBefore: now,
    notAfter: new Date(now.getTime() + 2 * 3_600_000),
    roleName: 'iam-jit-grt_moto0000000000000000000000',
    roleArn: null,
    activatedAt: null,
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const spec = roleSpecFor(grant, {
    vendingPrincipalArn: broker,
    permissionsBoundaryName: 'iam-jit-boundary',
  });
  const aws = createGrantAws({ endpoint: url, hubCredentials: KEYS, maxAttempts: 1 });
  const target = {
    accountId: ACCOUNT,
    spokeRoleArn: `arn:aws:iam::${ACCOUNT}:role/iam-jit-provisioner`,
    externalId: 'ext-0123456789abcdef',
  };
  const { roleArn } = await aws.provisionRole(target, spec);
  assert.equal(roleArn, `arn:aws:iam::${ACCOUNT}:role/iam-jit/${grant.roleName}`);
  // Converging again (a retried job) changes nothing and does not fail.
  assert.equal((await aws.provisionRole(target, spec)).roleArn, roleArn);
  const role = (await admin.iam.send(new GetRoleCommand({ RoleName: grant.roleName }))).Role;
  assert.equal(role?.MaxSessionDuration, 3600);
  assert.equal(
    role?.PermissionsBoundary?.PermissionsBoundaryArn,
    `arn:aws:iam::${ACCOUNT}:policy/iam-jit-boundary`,
  );
  const tags = (await admin.iam.send(new ListRoleTagsCommand({ RoleName: grant.roleName }))).Tags ?? [];
  assert.equal(tags.find((x) => x.Key === 'managed-by')?.Value, 'iam-jit');
  const inline = await admin.iam.send(
    new GetRolePolicyCommand({ RoleName: grant.roleName, PolicyName: 'iam-jit-grant' }),
  );
  const doc = typeof inline.PolicyDocument === 'string' ? inline.PolicyDocument : '';
  assert.match(decodeURIComponent(doc), new RegExp(grant.notAfter.toISOString()));
  const creds = await aws.vendCredentials({
    roleArn,
    sessionName: 'email+alice@example.com',
    sourceIdentity: 'email+alice@example.com',
    durationSeconds: 3600,
  });
  assert.match(creds.accessKeyId, /^ASIA/);
  await aws.deleteRole(target, grant.roleName, new Date());
  await assert.rejects(admin.iam.send(new GetRoleCommand({ RoleName: grant.roleName })), {
    name: 'NoSuchEntityException',
  });
  // Revoking a role that is already gone succeeds (idempotent job).
  await aws.deleteRole(target, grant.roleName, new Date());
});
