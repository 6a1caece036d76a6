import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { computeOutputs } from './action.ts';

// Keeps action.yml and the entry in step: GitHub passes composite-action inputs to a step only through the
// step's `env`, and the entry reads exactly INPUT_<NAME> (upper-cased, dashes kept).
interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: {
      id?: string;
      run: string;
      shell: string;
      'working-directory'?: string;
      env?: Record<string, string>;
    }[];
  };
}

const actionYml = parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8'),
) as ActionYml;

test('action.yml: a composite action that installs in the action path, then runs the Node entry', () => {
  assert.equal(actionYml.runs.using, 'composite');
  const [install, score] = actionYml.runs.steps;
  assert.equal(install?.['working-directory'], '${{ github.action_path }}');
  assert.match(install?.run ?? '', /^npm ci\b/);
  assert.equal(score?.run, 'node "${{ github.action_path }}/bin/iam-jit-action.js"');
});

test('action.yml: every input reaches the entry as INPUT_<NAME>', () => {
  const env = actionYml.runs.steps[1]?.env ?? {};
  for (const name of Object.keys(actionYml.inputs)) {
    assert.equal(env[`INPUT_${name.toUpperCase()}`], `\${{ inputs.${name} }}`, name);
  }
  assert.equal(Object.keys(env).length, Object.keys(actionYml.inputs).length);
  for (const name of [
    'policy-file',
    'preset',
    'threshold',
    'access-type',
    'duration-hours',
    'comment-on-pr',
    'sarif-output',
  ]) {
    assert.ok(name in actionYml.inputs, name);
  }
  assert.equal(actionYml.inputs['policy-file']?.required, true);
});

test('action.yml: outputs are exactly the ones the entry writes', () => {
  const written = Object.keys(computeOutputs([], '')).sort();
  assert.deepEqual(Object.keys(actionYml.outputs).sort(), written);
  for (const [name, output] of Object.entries(actionYml.outputs)) {
    assert.equal(output.value, `\${{ steps.score.outputs.${name} }}`);
  }
  for (const name of ['score', 'tier', 'would_auto_approve', 'policy_fingerprint'])
    assert.ok(name in actionYml.outputs);
});

test('action outputs with no policies: score 0, tier none, auto-approvable', () => {
  const out = computeOutputs([], '');
  assert.equal(out.score, '0');
  assert.equal(out.tier, 'none');
  assert.equal(out.would_auto_approve, 'true');
});
