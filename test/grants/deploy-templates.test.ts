// deploy/aws/*.yaml carry exactly the policies `iam-jit bootstrap print-policy` prints (src/aws/bootstrap-policies.ts),
// so the CloudFormation templates and the tested policy never drift apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { parseDocument } from 'yaml';
import { hubPolicy, spokePolicy } from '../../src/aws/bootstrap-policies.ts';
import { registerBootstrapCommand } from '../../src/cli/bootstrap-command.ts';

const root = join(import.meta.dirname, '..', '..', 'deploy', 'aws');

/** Parses a template, reading `!Ref`/`!GetAtt` as plain strings and resolving `Fn::Sub` with `values`. */
function template(file: string, values: Record<string, string>): Record<string, unknown> {
  const doc = parseDocument(readFileSync(join(root, file), 'utf8'), {
    customTags: [
      { tag: '!Ref', resolve: (v: string) => `ref:${v}` },
      { tag: '!GetAtt', resolve: (v: string) => `getatt:${v}` },
    ],
  });
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['Fn::Sub'] === 'string')
        return o['Fn::Sub'].replace(/\$\{([\w:]+)\}/g, (_, k: string) => values[k] ?? `<${k}>`);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  return resolve(doc.toJS()) as Record<string, unknown>;
}

type Res = { Resources: Record<string, { Properties: { Policies: { PolicyDocument: unknown }[] } }> };

test('spoke.yaml provisioner policy = print-policy --spoke', () => {
  const t = template('spoke.yaml', {
    'AWS::AccountId': '222222222222',
    BoundaryName: 'iam-jit-boundary',
  }) as Res;
  assert.deepEqual(
    t.Resources.ProvisionerRole?.Properties.Policies[0]?.PolicyDocument,
    spokePolicy({ account: '222222222222' }),
  );
});

test('hub.yaml policy = print-policy --hub', () => {
  const t = template('hub.yaml', {}) as Res;
  assert.deepEqual(t.Resources.HubRole?.Properties.Policies[0]?.PolicyDocument, hubPolicy());
});

test('print-policy prints JSON, and insists on exactly one of --hub / --spoke', async () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const state = { exitCode: 0 };
    const program = new Command().exitOverride();
    registerBootstrapCommand(program, { stdout: (t) => out.push(t), stderr: () => {} }, state);
    await program.parseAsync(['bootstrap', 'print-policy', ...args], { from: 'user' });
    return { text: out.join(''), code: state.exitCode };
  };
  assert.deepEqual(
    JSON.parse((await run(['--spoke', '--account', '222222222222'])).text),
    spokePolicy({ account: '222222222222' }),
  );
  assert.deepEqual(JSON.parse((await run(['--hub'])).text), hubPolicy());
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['--hub', '--spoke'])).code, 2);
});
