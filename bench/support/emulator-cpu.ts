// The emulator's CPU per call, in its own process (as in `npm run bench -- expiry`), for the calls iam-jit makes:
// the hub user's AssumeRole into the spoke provisioner role, then with that session (whose policy carries
// aws:ResourceTag, aws:RequestTag and iam:PermissionsBoundary conditions) GetCallerIdentity and a grant role's life:
// CreateRole (tags, boundary), PutRolePolicy, the revoking PutRolePolicy (aws:TokenIssueTime deny),
// DeleteRolePolicy, DeleteRole. CPU is read from /proc before and after each phase of `ROLES` calls.
import { performance } from 'node:perf_hooks';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Grant } from '../../src/grants/grant.ts';
import { revokeSessionsPolicy } from '../../src/grants/grant.ts';
import { roleSpecFor } from '../../src/grants/grant-lifecycle.ts';
import { newId } from '../../src/lib/ids.ts';
import { sdkClients } from '../../src/local-aws/testing.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountSeed,
} from '../../test/grants/harness.ts';
import { processCpuMs, startEmulatorProcess } from './emulator-process.ts';

const ROLES = 1000;
const WARMUP = 300;
const CONCURRENCY = 16;

/** Runs `call(0…count-1)` with CONCURRENCY in flight. */
async function inFlight(count: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function grantFor(n: number, now: Date): Grant {
  const id = newId('grt');
  return {
    id,
    requestId: newId('req'),
    accountId: SPOKE,
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status: 'active',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: `arn:aws:s3:::b${n}/*` },
      ],
    },
    notBefore: now,
    notAfter: new Date(now.getTime() + 3_600_000 + n),
    roleName: `iam-jit-${id}`,
    roleArn: `arn:aws:iam::${SPOKE}:role/iam-jit/iam-jit-${id}`,
    activatedAt: now,
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** One measured phase: its name, calls, emulator CPU ms per call and calls per second. */
interface Phase {
  name: string;
  calls: number;
  cpuMsPerCall: number;
  callsPerSecond: number;
}

/** Measures each phase against a fresh emulator process; returns the phases in order. */
export async function measureEmulatorCpu(roles = ROLES): Promise<Phase[]> {
  const aws = await startEmulatorProcess(twoAccountSeed());
  try {
    const hub = sdkClients(aws.url, HUB_CREDENTIALS);
    const assume = (i: number) =>
      hub.sts.send(
        new AssumeRoleCommand({
          RoleArn: SPOKE_ROLE_ARN,
          RoleSessionName: `iam-jit-provisioner-${i}`,
          ExternalId: EXTERNAL_ID,
          DurationSeconds: 3600,
        }),
      );
    const out = await assume(0);
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new Error('AssumeRole gave no credentials');
    const spoke = sdkClients(aws.url, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    const now = new Date();
    const settings = { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY };
    const specs = (n: number) => Array.from({ length: n }, (_, i) => roleSpecFor(grantFor(i, now), settings));
    const create = (spec: ReturnType<typeof roleSpecFor>) =>
      spoke.iam.send(
        new CreateRoleCommand({
          RoleName: spec.roleName,
          Path: spec.path,
          AssumeRolePolicyDocument: JSON.stringify(spec.trustPolicy),
          Description: spec.description,
          MaxSessionDuration: spec.maxSessionDurationSeconds,
          PermissionsBoundary: spec.permissionsBoundaryArn ?? undefined,
          Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    const put = (spec: ReturnType<typeof roleSpecFor>, doc: unknown) =>
      spoke.iam.send(
        new PutRolePolicyCommand({
          RoleName: spec.roleName,
          PolicyName: spec.inlinePolicyName,
          PolicyDocument: JSON.stringify(doc),
        }),
      );
    const removePolicy = (spec: ReturnType<typeof roleSpecFor>) =>
      spoke.iam.send(
        new DeleteRolePolicyCommand({ RoleName: spec.roleName, PolicyName: spec.inlinePolicyName }),
      );
    const removeRole = (spec: ReturnType<typeof roleSpecFor>) =>
      spoke.iam.send(new DeleteRoleCommand({ RoleName: spec.roleName }));

    // Warm-up (JIT, caches) through every operation, not measured.
    for (const spec of specs(WARMUP)) {
      await create(spec);
      await put(spec, spec.inlinePolicy);
      await put(spec, revokeSessionsPolicy(new Date()));
      await removePolicy(spec);
      await removeRole(spec);
    }
    await inFlight(WARMUP, assume);
    await inFlight(WARMUP, () => spoke.sts.send(new GetCallerIdentityCommand({})));

    const measured = specs(roles);
    const phases: Phase[] = [];
    const phase = async (name: string, call: (i: number) => Promise<unknown>) => {
      const cpu0 = processCpuMs(aws.pid);
      const t0 = performance.now();
      await inFlight(roles, call);
      const seconds = (performance.now() - t0) / 1000;
      phases.push({
        name,
        calls: roles,
        cpuMsPerCall: (processCpuMs(aws.pid) - cpu0) / roles,
        callsPerSecond: roles / seconds,
      });
    };
    const spec = (i: number) => measured[i] as ReturnType<typeof roleSpecFor>;
    await phase('sts:AssumeRole (hub user)', assume);
    await phase('sts:GetCallerIdentity', () => spoke.sts.send(new GetCallerIdentityCommand({})));
    await phase('iam:CreateRole', (i) => create(spec(i)));
    await phase('iam:PutRolePolicy', (i) => put(spec(i), spec(i).inlinePolicy));
    await phase('iam:PutRolePolicy (deny)', (i) => put(spec(i), revokeSessionsPolicy(new Date())));
    await phase('iam:DeleteRolePolicy', (i) => removePolicy(spec(i)));
    await phase('iam:DeleteRole', (i) => removeRole(spec(i)));
    return phases;
  } finally {
    await aws.stop();
  }
}

/** Prints the emulator's CPU per call, each operation by the spoke provisioner's session. */
export async function printEmulatorCpu(): Promise<void> {
  const phases = await measureEmulatorCpu();
  console.log(
    `\nemulator CPU per call: its own process (/proc, 10 ms ticks), ${ROLES} calls per operation, ${CONCURRENCY} in flight,`,
  );
  console.log(
    'IAM calls by the spoke provisioner session (tag and permissions-boundary conditions evaluated)',
  );
  console.log(`${'operation'.padEnd(28)}${'CPU ms/call'.padStart(12)}${'calls/s'.padStart(10)}`);
  for (const p of phases)
    console.log(
      `${p.name.padEnd(28)}${p.cpuMsPerCall.toFixed(3).padStart(12)}${p.callsPerSecond.toFixed(0).padStart(10)}`,
    );
  const revocation = phases.filter((p) => /deny|Delete/.test(p.name));
  const sum = revocation.reduce((s, p) => s + p.cpuMsPerCall, 0);
  console.log(
    `revocation (${revocation.map((p) => p.name.replace('iam:', '')).join(' + ')}): ${sum.toFixed(3)} ms; ` +
      `DeleteRolePolicy + DeleteRole: ${revocation
        .filter((p) => p.name.includes('Delete'))
        .reduce((s, p) => s + p.cpuMsPerCall, 0)
        .toFixed(3)} ms`,
  );
}
