// The local AWS emulator in a child process (`iam-jit local-aws`), for benchmarks that keep AWS out of the measured
// process, as it is in production; `cpuMs` reads its CPU from /proc (Linux).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateSeed } from '../../src/local-aws/index.ts';

/** A running emulator process. */
export interface EmulatorProcess {
  readonly url: string;
  /** CPU milliseconds (user + system) the process used so far; NaN when /proc cannot tell. */
  cpuMs(): number;
  stop(): void;
}

/**
 * Starts `iam-jit local-aws` on a free port with `seed`, passing this process's node flags (e.g. `--cpu-prof`); `bin`
 * runs another checkout's `bin/iam-jit.js` instead (a baseline to compare with).
 */
export async function startEmulatorProcess(
  seed: StateSeed,
  bin = join(import.meta.dirname, '..', '..', 'bin', 'iam-jit.js'),
): Promise<EmulatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-emulator-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const child = spawn(
    process.execPath,
    [...process.execArgv, bin, 'local-aws', '--port', '0', '--state', seedFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('emulator did not start within 30 s')), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(text);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    child.stdout.resume();
    return { url, cpuMs: () => processCpuMs(child.pid), stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** CPU milliseconds (user + system) process `pid` used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // After the parenthesised command name, utime and stime are the 12th and 13th fields, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
