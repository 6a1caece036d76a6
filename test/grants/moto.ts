// moto_server as a second AWS target for the grants suites: started on a free port for a test file, stopped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { findOnPath } from '../local-aws/on-path.ts';

/** moto_server's path on PATH, or undefined (suites skip — or fail under CI — with `skipWithout`). */
export const motoPath = findOnPath('moto_server');

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

/** A running moto_server: its URL and how to stop it. */
export interface Moto {
  readonly url: string;
  stop(): void;
}

/** Starts moto_server at `path` and waits (at most 30 s) until it answers. */
export async function startMoto(path: string): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn(path, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill('SIGTERM');
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('moto_server did not start within 30 s');
}
