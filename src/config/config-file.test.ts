import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigFromEnvironment, readConfigFile } from './config-file.ts';
import { ConfigError } from './load-config.ts';

test('config file: ./iam-jit.yaml when present, IAM_JIT_CONFIG when set, an error when the named file is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-jit-config-'));
  try {
    assert.equal(readConfigFile({}, { cwd: dir }), undefined);
    writeFileSync(join(dir, 'iam-jit.yaml'), 'dev_mode: true\nport: 9001\n');
    assert.equal(loadConfigFromEnvironment({}, { cwd: dir }).server.port, 9001);
    writeFileSync(join(dir, 'other.yaml'), 'dev_mode: true\nport: 9002\n');
    assert.equal(loadConfigFromEnvironment({ IAM_JIT_CONFIG: 'other.yaml' }, { cwd: dir }).server.port, 9002);
    assert.throws(
      () => readConfigFile({ IAM_JIT_CONFIG: 'missing.yaml' }, { cwd: dir }),
      (e) => e instanceof ConfigError && /IAM_JIT_CONFIG: cannot read .*missing\.yaml/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
