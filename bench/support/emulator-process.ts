// The emulator as its own process (`iam-jit local-aws --state <seed>`), as AWS is another machine in production, and
// the CPU a process used, for benchmarks that charge the emulator's share separately.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateSeed } from '../../src/local-aws/index.ts';

/** A running emulator process. */
export interface EmulatorProcess {
  url: string;
  pid: number | undefined;
  /** Sends SIGTERM and resolves once the process exited. */
  stop(): Promise<void>;
}

/**
 * Starts `bin/iam-jit.js local-aws --port 0 --state <seed>` (this checkout's, or `bin`) with this process's node flags (so `--cpu-prof` profiles
 * it too); resolves with its URL once it prints `listening on`. Rejects after 30 s or when it exits first.
 */
export async function startEmulatorProcess(
  seed: StateSeed,
  bin = join(import.meta.dirname, '..', '..', 'bin', 'iam-jit.js'),
): Promise<EmulatorProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-bench-aws-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const child = spawn(
    process.execPath,
    [...process.execArgv, bin, 'local-aws', '--port', '0', '--state', seedFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
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
  }).catch((e: unknown) => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  child.stdout.resume();
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU milliseconds (user + system) process `pid` used so far, from /proc (Linux, 10 ms ticks); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
