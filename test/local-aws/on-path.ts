import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';

/** The absolute path of an executable found on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * For suites that need an external tool: when it is missing, skip the test with a message saying so — unless
 * `CI` is set, where the missing tool fails the test. Returns true when the caller should return early.
 */
export function skipWithout(t: TestContext, tool: string, found: string | undefined): boolean {
  if (found) return false;
  const reason = `${tool} not found on PATH: suite SKIPPED`;
  if (process.env.CI) throw new Error(`${reason} — but CI is set, so it must run`);
  console.log(reason);
  t.skip(reason);
  return true;
}
