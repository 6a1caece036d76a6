#!/usr/bin/env node
// The MCP server over stdio (`npx iam-jit-mcp`): loads the TypeScript sources through tsx, like bin/iam-jit.js.
// stdout carries the MCP protocol, so every diagnostic goes to stderr.
import { register } from 'tsx/esm/api';

register();
const { runStdioServer } = await import('../src/mcp/stdio.ts');
process.exitCode = await runStdioServer({
  env: process.env,
  log: (line) => process.stderr.write(`${line}\n`),
});
