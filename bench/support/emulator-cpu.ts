// The emulator's CPU per call, in its own process (as in `npm run bench -- expiry`), for the calls iam-jit makes:
// the hub user's AssumeRole into the spoke provisioner role, then with that session (whose policy carries
// aws:ResourceTag, aws:RequestTag and iam:PermissionsBoundary conditions) GetCallerIdentity and a grant role's life:
// CreateRole (tags, boundary), PutRolePolicy, the revoking PutRolePolicy (aws:TokenIssueTime deny),
// DeleteRolePolicy, DeleteRole. CPU is read from /proc before and after each phase of `ROLES` calls.
import { join } from 'node:path';
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
  SPOKE_ROLE_ARN,
  twoAccountSeed,
} from '../../test/grants/harness.ts';
import { startEmulatorProcess } from './emulator-process.ts';
import { benchGrant } from './grant-roles.ts';

const ROLES = 1000;
const WARMUP = 300;
const CONCURRENCY = 16;
/** Each phase runs in this many slices, alternating between the emulators measured. */
const SLICES = 4;

/** Runs `call(0…count-1)` with CONCURRENCY in flight. */
async function inFlight(count: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** A bench grant whose policy names its own bucket, so every role's policy document differs. */
function grantFor(n: number, now: Date): Grant {
  return {
    ...benchGrant(newId('grt'), {
      now,
      notAfter: new Date(now.getTime() + 3_600_000 + n),
      requestId: newId('req'),
    }),
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: `arn:aws:s3:::b${n}/*` },
      ],
    },
  };
}

/** An emulator to measure: this checkout's `bin/iam-jit.js`, or another checkout's (a baseline). */
export interface EmulatorTarget {
  label: string;
  bin?: string;
}

/** One operation measured on every target: emulator CPU ms per call and calls per second, by target label. */
export interface Phase {
  name: string;
  calls: number;
  cpuMsPerCall: Record<string, number>;
  callsPerSecond: Record<string, number>;
}

type Spec = ReturnType<typeof roleSpecFor>;
const PHASES = [
  'sts:AssumeRole (hub user)',
  'sts:GetCallerIdentity',
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:PutRolePolicy (deny)',
  'iam:DeleteRolePolicy',
  'iam:DeleteRole',
] as const;
type PhaseName = (typeof PHASES)[number];

/** Starts a target's emulator, warms it up through every operation, and returns one call per phase. */
async function prepare(target: EmulatorTarget, roles: number) {
  const aws = await startEmulatorProcess(twoAccountSeed(), target.bin);
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
  const c = (await assume(0)).Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    aws.stop();
    throw new Error('AssumeRole gave no credentials');
  }
  const spoke = sdkClients(aws.url, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  });
  const now = new Date();
  const settings = { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY };
  const specs = (n: number): Spec[] =>
    Array.from({ length: n }, (_, i) => roleSpecFor(grantFor(i, now), settings));
  const create = (spec: Spec) =>
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
  const put = (spec: Spec, doc: unknown) =>
    spoke.iam.send(
      new PutRolePolicyCommand({
        RoleName: spec.roleName,
        PolicyName: spec.inlinePolicyName,
        PolicyDocument: JSON.stringify(doc),
      }),
    );
  const removePolicy = (spec: Spec) =>
    spoke.iam.send(
      new DeleteRolePolicyCommand({ RoleName: spec.roleName, PolicyName: spec.inlinePolicyName }),
    );
  const removeRole = (spec: Spec) => spoke.iam.send(new DeleteRoleCommand({ RoleName: spec.roleName }));

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
  const spec = (i: number) => measured[i] as Spec;
  const calls: Record<PhaseName, (i: number) => Promise<unknown>> = {
    'sts:AssumeRole (hub user)': assume,
    'sts:GetCallerIdentity': () => spoke.sts.send(new GetCallerIdentityCommand({})),
    'iam:CreateRole': (i) => create(spec(i)),
    'iam:PutRolePolicy': (i) => put(spec(i), spec(i).inlinePolicy),
    'iam:PutRolePolicy (deny)': (i) => put(spec(i), revokeSessionsPolicy(new Date())),
    'iam:DeleteRolePolicy': (i) => removePolicy(spec(i)),
    'iam:DeleteRole': (i) => removeRole(spec(i)),
  };
  return { label: target.label, cpuMs: aws.cpuMs, calls, stop: aws.stop };
}

/**
 * Measures every phase on every target. Each phase runs in slices alternating between the targets (A B, then B A),
 * so on a shared, noisy machine both see the same load. Returns the phases in order.
 */
export async function measureEmulatorCpu(
  targets: readonly EmulatorTarget[] = [{ label: 'current' }],
  roles = ROLES,
): Promise<Phase[]> {
  const prepared: Awaited<ReturnType<typeof prepare>>[] = [];
  try {
    for (const t of targets) prepared.push(await prepare(t, roles));
    const phases: Phase[] = [];
    for (const name of PHASES) {
      const cpu: Record<string, number> = {};
      const seconds: Record<string, number> = {};
      for (let slice = 0; slice < SLICES; slice++) {
        const from = Math.floor((slice * roles) / SLICES);
        const to = Math.floor(((slice + 1) * roles) / SLICES);
        const order = slice % 2 === 0 ? prepared : [...prepared].reverse();
        for (const p of order) {
          const cpu0 = p.cpuMs();
          const t0 = performance.now();
          await inFlight(to - from, (i) => p.calls[name](from + i));
          seconds[p.label] = (seconds[p.label] ?? 0) + (performance.now() - t0) / 1000;
          cpu[p.label] = (cpu[p.label] ?? 0) + p.cpuMs() - cpu0;
        }
      }
      const cpuMsPerCall: Record<string, number> = {};
      const callsPerSecond: Record<string, number> = {};
      for (const p of prepared) {
        cpuMsPerCall[p.label] = (cpu[p.label] ?? Number.NaN) / roles;
        callsPerSecond[p.label] = roles / (seconds[p.label] ?? Number.NaN);
      }
      phases.push({ name, calls: roles, cpuMsPerCall, callsPerSecond });
    }
    return phases;
  } finally {
    for (const p of prepared) p.stop();
  }
}

/**
 * Prints the emulator's CPU per call, each operation by the spoke provisioner's session; with `baselineDir` (another
 * checkout of iam-jit, e.g. `git worktree add /tmp/base <commit>`), its emulator is measured alongside.
 */
export async function printEmulatorCpu(baselineDir?: string): Promise<void> {
  const targets: EmulatorTarget[] = [{ label: 'current' }];
  if (baselineDir) targets.push({ label: 'baseline', bin: join(baselineDir, 'bin', 'iam-jit.js') });
  const phases = await measureEmulatorCpu(targets);
  console.log(
    `\nemulator CPU per call: its own process (/proc, 10 ms ticks), ${ROLES} calls per operation, ${CONCURRENCY} in flight;`,
  );
  console.log(
    'IAM calls by the spoke provisioner session (tag and permissions-boundary conditions evaluated)',
  );
  if (baselineDir) console.log(`baseline: ${baselineDir} (slices alternate between the two emulators)`);
  const labels = targets.map((t) => t.label);
  console.log(
    `${'operation'.padEnd(28)}${labels.map((l) => `${`${l} ms/call`.padStart(20)}`).join('')}${'calls/s'.padStart(10)}`,
  );
  for (const p of phases) {
    const cells = labels.map((l) => (p.cpuMsPerCall[l] ?? Number.NaN).toFixed(3).padStart(20)).join('');
    console.log(
      `${p.name.padEnd(28)}${cells}${(p.callsPerSecond.current ?? Number.NaN).toFixed(0).padStart(10)}`,
    );
  }
  const sum = (names: string[], label: string) =>
    phases
      .filter((p) => names.includes(p.name))
      .reduce((s, p) => s + (p.cpuMsPerCall[label] ?? Number.NaN), 0);
  for (const l of labels) {
    const deletes = sum(['iam:DeleteRolePolicy', 'iam:DeleteRole'], l);
    const all = deletes + sum(['iam:PutRolePolicy (deny)'], l);
    console.log(
      `${l}: natural expiry (DeleteRolePolicy + DeleteRole) ${deletes.toFixed(3)} ms, ${(deletes / 2).toFixed(3)} ms per call; with the deny PutRolePolicy ${all.toFixed(3)} ms`,
    );
  }
}
