// `npm run bench -- local-aws [throughput|cpu] [--baseline <other checkout>]`: calls per second through the AWS SDK v3 on loopback, for
// GetCallerIdentity and PutRolePolicy, against our emulator (in-process) and moto_server (child process, when on
// PATH); then the emulator's own CPU per call (its own process, /proc) for the calls iam-jit makes, by the spoke
// provisioner's session (bench/support/emulator-cpu.ts). Loops are bounded: a fixed number of calls per measurement.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createState } from '../src/local-aws/seed.ts';
import { startLocalAws } from '../src/local-aws/server.ts';
import { sdkClients } from '../src/local-aws/testing.ts';
import { printEmulatorCpu } from './support/emulator-cpu.ts';

const CALLS = 400;
const WARMUP = 30;
const CONCURRENCY = [1, 8] as const;
const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' },
  ],
});
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }],
});

/** Runs `calls` invocations of `call` with `concurrency` in flight; returns calls per second. */
async function measure(
  call: (i: number) => Promise<unknown>,
  calls: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < calls) await call(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return calls / ((performance.now() - start) / 1000);
}

async function benchTarget(url: string): Promise<Record<string, number>> {
  const { sts, iam } = sdkClients(url, KEYS);
  await iam.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: TRUST }));
  const gci = () => sts.send(new GetCallerIdentityCommand({}));
  const put = (i: number) =>
    iam.send(
      new PutRolePolicyCommand({ RoleName: 'bench-role', PolicyName: `p${i % 5}`, PolicyDocument: POLICY }),
    );
  await measure(gci, WARMUP, 1);
  await measure(put, WARMUP, 1);
  const out: Record<string, number> = {};
  for (const c of CONCURRENCY) {
    out[`GetCallerIdentity c=${c}`] = await measure(gci, CALLS, c);
    out[`PutRolePolicy c=${c}`] = await measure(put, CALLS, c);
  }
  return out;
}

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

async function startMoto(): Promise<{ url: string; child: ChildProcess } | undefined> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const failed = new Promise<'failed'>((resolve) => child.once('error', () => resolve('failed')));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ready = await Promise.race([
      fetch(`${url}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      ),
      failed,
    ]);
    if (ready === 'failed') return undefined;
    if (ready) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  return undefined;
}

const only = process.argv[3];
const baselineAt = process.argv.indexOf('--baseline');
const baseline = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
if (only === 'cpu') {
  await printEmulatorCpu(baseline);
  process.exit(0);
}

const ours = await startLocalAws({
  state: createState({
    accounts: [
      { id: '123456789012', rootAccessKeyId: KEYS.accessKeyId, rootSecretAccessKey: KEYS.secretAccessKey },
    ],
  }),
});
const oursResult = await benchTarget(ours.url);
await ours.close();

const moto = await startMoto();
let motoResult: Record<string, number> | undefined;
if (moto) {
  try {
    motoResult = await benchTarget(moto.url);
  } finally {
    const exited = new Promise((r) => moto.child.once('exit', r));
    moto.child.kill('SIGTERM');
    await exited;
  }
}

console.log(`local-aws benchmark: ${CALLS} SDK calls per measurement on loopback (c = calls in flight)`);
console.log(
  'ours runs in the benchmark process (SigV4 verification included); moto_server is a separate process',
);
console.log(`${'operation'.padEnd(26)}${'ours calls/s'.padStart(14)}${'moto calls/s'.padStart(14)}`);
for (const [name, value] of Object.entries(oursResult)) {
  const m = motoResult?.[name];
  console.log(
    `${name.padEnd(26)}${value.toFixed(0).padStart(14)}${(m === undefined ? 'n/a' : m.toFixed(0)).padStart(14)}`,
  );
}
if (!moto) console.log('moto_server not found on PATH: its column is n/a');
if (only !== 'throughput') await printEmulatorCpu(baseline);
