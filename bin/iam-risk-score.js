#!/usr/bin/env node
// Drop-in for the established `iam-risk-score` CLI: the same as `iam-jit score`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli([
  process.argv[0] ?? 'node',
  'iam-risk-score',
  'score',
  ...process.argv.slice(2),
]);
