#!/usr/bin/env node
// Loads the TypeScript sources through tsx so `npx iam-jit` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv);
