#!/usr/bin/env node
// GitHub Action entry (action.yml runs it): loads the TypeScript sources through tsx, then runs the action with
// the step's environment (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …) and the global fetch.
import { register } from 'tsx/esm/api';

register();
const { runAction } = await import('../src/action/action.ts');
process.exitCode = await runAction({
  env: process.env,
  cwd: process.cwd(),
  fetch: (url, init) => fetch(url, init),
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
