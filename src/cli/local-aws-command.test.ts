import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { sdkClients, trustPolicyFor } from '../local-aws/testing.ts';
import { registerLocalAwsCommand, runLocalAws } from './local-aws-command.ts';

test('runLocalAws serves the seed and saves state on exit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-aws-cli-'));
  try {
    const file = join(dir, 'state.json');
    await writeFile(
      file,
      JSON.stringify({
        accounts: [{ id: '123456789012', rootAccessKeyId: 'AKIAROOTROOTROOTROOT', rootSecretAccessKey: 's' }],
      }),
    );
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    await runLocalAws(
      { port: 0, host: '127.0.0.1', state: file, saveOnExit: true, assignmentDelay: 0 },
      io,
      async (aws) => {
        const c = sdkClients(aws.url, { accessKeyId: 'AKIAROOTROOTROOTROOT', secretAccessKey: 's' });
        assert.equal((await c.sts.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
        await c.iam.send(
          new CreateRoleCommand({
            RoleName: 'saved',
            AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::123456789012:root'),
          }),
        );
      },
    );
    assert.match(out.join(''), /local-aws listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out.join(''), /account 123456789012: root key AKIAROOTROOTROOTROOT/);
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      accounts: Array<{ roles: Array<{ name: string }> }>;
    };
    assert.deepEqual(
      saved.accounts[0]?.roles.map((r) => r.name),
      ['saved'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the command is registered with its options and rejects a bad port', async () => {
  const program = new Command('iam-jit').exitOverride();
  const errors: string[] = [];
  registerLocalAwsCommand(program, { stdout: () => {}, stderr: (s) => errors.push(s) }, { exitCode: 0 });
  const cmd = program.commands.find((c) => c.name() === 'local-aws');
  assert.ok(cmd);
  assert.deepEqual(
    cmd.options.map((o) => o.long),
    ['--port', '--host', '--state', '--save-on-exit', '--assignment-delay'],
  );
  cmd.exitOverride().configureOutput({ writeErr: (s) => errors.push(s) });
  await assert.rejects(program.parseAsync(['node', 'iam-jit', 'local-aws', '--port', 'nope']));
  assert.match(errors.join(''), /expected a port number/);
});

test('standalone: the command serves until SIGTERM, then saves state to --save-on-exit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-aws-standalone-'));
  const saved = join(dir, 'saved.json');
  // A child process runs the command exactly as `iam-jit local-aws` would, so the signal handling is real.
  const script = [
    "import { Command } from 'commander';",
    `import { registerLocalAwsCommand } from ${JSON.stringify(join(import.meta.dirname, 'local-aws-command.ts'))};`,
    "const program = new Command('iam-jit');",
    'const io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };',
    'registerLocalAwsCommand(program, io, { exitCode: 0 });',
    `await program.parseAsync(['node', 'iam-jit', 'local-aws', '--port', '0', '--save-on-exit', ${JSON.stringify(saved)}]);`,
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const { iam } = sdkClients(url, {
      accessKeyId: 'AKIA111111111111ROOT',
      secretAccessKey: 'local-aws-root-secret-111111111111',
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'kept',
        AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::111111111111:root'),
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /state saved to/);
    const state = JSON.parse(await readFile(saved, 'utf8')) as {
      accounts: Array<{ roles: Array<{ name: string }> }>;
    };
    assert.deepEqual(
      state.accounts[0]?.roles.map((r) => r.name),
      ['kept'],
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
