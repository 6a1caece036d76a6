import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { createState, defaultRootCredentials, exportState, loadStateFile, saveStateFile } from './seed.ts';
import { startLocalAws } from './server.ts';
import { sdkClients, trustPolicyFor } from './testing.ts';

test('a YAML seed creates accounts, roles with policies and an Identity Center instance', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-aws-seed-'));
  try {
    const file = join(dir, 'seed.yaml');
    await writeFile(
      file,
      [
        'accounts:',
        '  - id: "123456789012"',
        '    name: hub',
        '    roles:',
        '      - name: broker',
        '        assumeRolePolicyDocument:',
        '          Version: "2012-10-17"',
        '          Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }]',
        '    identityCenter:',
        '      users: [{ userName: alice }]',
        '  - id: "210987654321"',
      ].join('\n'),
    );
    const state = await loadStateFile(file);
    assert.deepEqual(Object.keys(state.accounts).sort(), ['123456789012', '210987654321']);
    const hub = state.accounts['123456789012'];
    assert.equal(hub?.roles.broker?.arn, 'arn:aws:iam::123456789012:role/broker');
    assert.equal(hub?.identityCenter?.users[0]?.userName, 'alice');
    assert.equal(state.accounts['210987654321']?.identityCenter, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an invalid seed is rejected with the problem named', () => {
  assert.throws(() => createState({ accounts: [{ id: '12' }] }), /account id must be 12 digits/);
  assert.throws(() => createState({ accounts: [] }));
});

test('saved state restores roles created through the API (round trip through a file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-aws-save-'));
  const aws = await startLocalAws();
  try {
    const { iam } = sdkClients(aws.url, defaultRootCredentials('111111111111'));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'kept',
        AssumeRolePolicyDocument: trustPolicyFor('arn:aws:iam::111111111111:root'),
      }),
    );
    const file = join(dir, 'state.json');
    await saveStateFile(file, aws.state);
    const restored = await loadStateFile(file);
    assert.deepEqual(exportState(restored), exportState(aws.state));
    const again = await startLocalAws({ state: restored });
    try {
      const got = await sdkClients(again.url, defaultRootCredentials('111111111111')).iam.send(
        new GetRoleCommand({ RoleName: 'kept' }),
      );
      assert.equal(got.Role?.RoleId, aws.state.accounts['111111111111']?.roles.kept?.roleId);
    } finally {
      await again.close();
    }
  } finally {
    await aws.close();
    await rm(dir, { recursive: true, force: true });
  }
});
