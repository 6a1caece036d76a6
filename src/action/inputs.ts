import type { Result } from '../lib/result.ts';
import { err, ok } from '../lib/result.ts';

/** Presets of the established "IAM Policy Risk Score" action. */
export const PRESETS = {
  strict: { threshold: 3, accessType: 'read-only' },
  standard: { threshold: 5, accessType: 'read-write' },
  permissive: { threshold: 7, accessType: 'read-write' },
} as const;
export type Preset = keyof typeof PRESETS;

export interface ActionInputs {
  /** Glob patterns, one per line (a leading `!` excludes). */
  policyFiles: string[];
  preset: Preset;
  threshold: number;
  accessType: 'read-only' | 'read-write';
  durationHours: number;
  commentOnPr: boolean;
  /** Where to write SARIF; empty when not asked for. */
  sarifOutput: string;
  githubToken: string;
}

/** Environment variables as GitHub passes them to a step. */
export type ActionEnv = Readonly<Record<string, string | undefined>>;

/**
 * An input as GitHub passes it: `INPUT_<NAME>` with the name upper-cased and dashes kept
 * (`policy-file` → `INPUT_POLICY-FILE`), trimmed; empty when unset.
 */
export function getInput(env: ActionEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function parseBoolean(value: string, name: string, problems: string[]): boolean {
  if (value === '') return false;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  problems.push(`${name} must be true or false, got ${value}`);
  return false;
}

/**
 * Reads and validates the action's inputs. A preset supplies the threshold and access type unless `threshold`
 * or `access-type` are given explicitly. Reports every problem at once.
 */
export function readActionInputs(env: ActionEnv): Result<ActionInputs, string[]> {
  const problems: string[] = [];
  const policyFiles = getInput(env, 'policy-file')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (policyFiles.length === 0) problems.push('policy-file is required (a glob, one per line)');
  const presetName = getInput(env, 'preset') || 'standard';
  const preset = presetName in PRESETS ? (presetName as Preset) : undefined;
  if (preset === undefined) problems.push(`preset must be strict, standard or permissive, got ${presetName}`);
  const defaults = PRESETS[preset ?? 'standard'];

  const thresholdText = getInput(env, 'threshold');
  const threshold = thresholdText === '' ? defaults.threshold : Number(thresholdText);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 11) {
    problems.push(`threshold must be an integer from 1 to 11, got ${thresholdText}`);
  }
  const accessTypeText = getInput(env, 'access-type') || defaults.accessType;
  if (accessTypeText !== 'read-only' && accessTypeText !== 'read-write') {
    problems.push(`access-type must be read-only or read-write, got ${accessTypeText}`);
  }
  const durationText = getInput(env, 'duration-hours');
  const durationHours = durationText === '' ? 1 : Number(durationText);
  if (!Number.isFinite(durationHours) || durationHours < 0) {
    problems.push(`duration-hours must be a non-negative number, got ${durationText}`);
  }
  const commentOnPr = parseBoolean(getInput(env, 'comment-on-pr'), 'comment-on-pr', problems);
  if (problems.length > 0) return err(problems);
  return ok({
    policyFiles,
    preset: preset ?? 'standard',
    threshold,
    accessType: accessTypeText as 'read-only' | 'read-write',
    durationHours,
    commentOnPr,
    sarifOutput: getInput(env, 'sarif-output'),
    githubToken: getInput(env, 'github-token') || (env.GITHUB_TOKEN ?? ''),
  });
}
