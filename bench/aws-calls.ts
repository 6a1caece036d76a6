// `npm run bench -- aws-calls`: the AWS adapter's CPU per IAM call on the expiry path. Creates ROLES grant roles in the
// emulator (its own process, as AWS is another machine), then ends them with `deleteRole(…, { expired: true })`
// (DeleteRolePolicy + DeleteRole each) and early-revokes as many (PutRolePolicy deny, DeleteRolePolicy, DeleteRole),
// CONCURRENCY in flight, and prints this process's CPU per IAM call (the adapter: SigV4, HTTP, the response) and
// the emulator's. Setup is not measured. Bounded: fixed call counts, about 30 s on the shared 2-core machine.
import { performance } from 'node:perf_hooks';
import { createGrantAws } from '../src/aws/grant-aws.ts';
import type { GrantAws } from '../src/grants/ports.ts';
import { sdkClients } from '../src/local-aws/testing.ts';
import {
  BOUNDARY,
  BROKER_ARN,
  EXTERNAL_ID,
  HUB_CREDENTIALS,
  SPOKE,
  SPOKE_ROLE_ARN,
  twoAccountSeed,
} from '../test/grants/harness.ts';
import { startEmulatorProcess } from './support/emulator-process.ts';
import { benchGrant, createGrantRoles } from './support/grant-roles.ts';

const ROLES = 600;
const WARMUP = 300;
const CONCURRENCY = 32;
const target = { accountId: SPOKE, spokeRoleArn: SPOKE_ROLE_ARN, externalId: EXTERNAL_ID };
const settings = { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY };

const emulator = await startEmulatorProcess(twoAccountSeed());
try {
  const admin = sdkClients(emulator.url, {
    accessKeyId: `AKIA${SPOKE}ROOT`,
    secretAccessKey: `local-aws-root-secret-${SPOKE}`,
  });
  const now = new Date();
  const notAfter = new Date(now.getTime() + 3_600_000);
  /** Grant roles as provisioning leaves them (trust, tags, boundary, the time-bounded policy). */
  async function createRoles(prefix: string, count: number): Promise<string[]> {
    const grants = Array.from({ length: count }, (_, n) =>
      benchGrant(`grt_${prefix}${n}`, { now, notAfter, requestId: 'req_bench' }),
    );
    await createGrantRoles(admin, grants, settings);
    return grants.map((g) => g.roleName);
  }

  /** Ends every role, CONCURRENCY at a time; returns this process's and the emulator's CPU ms and the wall time. */
  async function end(aws: GrantAws, names: string[], expired: boolean) {
    let next = 0;
    const cpu0 = process.cpuUsage();
    const emu0 = emulator.cpuMs();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < names.length) {
          const name = names[next++] as string;
          await aws.deleteRole(target, name, new Date(), undefined, expired ? { expired } : undefined);
        }
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      emulatorMs: emulator.cpuMs() - emu0,
      wallMs: performance.now() - start,
    };
  }

  const aws = createGrantAws({ endpoint: emulator.url, hubCredentials: HUB_CREDENTIALS, maxAttempts: 3 });
  await end(aws, await createRoles('warm', WARMUP), true);
  console.log(
    `AWS adapter CPU per IAM call, emulator in its own process, ${CONCURRENCY} in flight, ${ROLES} roles per line`,
  );
  for (const [label, expired, calls] of [
    ['expiry (DeleteRolePolicy + DeleteRole)', true, 2],
    ['early revoke (PutRolePolicy deny + DeleteRolePolicy + DeleteRole)', false, 3],
  ] as const) {
    const names = await createRoles(expired ? 'exp' : 'rev', ROLES);
    const r = await end(aws, names, expired);
    const n = ROLES * calls;
    console.log(
      `  ${label.padEnd(68)} iam-jit ${(r.cpuMs / n).toFixed(3)} ms/call  emulator ${(r.emulatorMs / n).toFixed(3)} ms/call  ${Math.round((n * 1000) / r.wallMs)} calls/s`,
    );
  }
} finally {
  emulator.stop();
}
process.exit(0);
