import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { analysePolicies } from '../cli/analyse.ts';
import { EXIT } from '../cli/context.ts';
import { escapeCommandData, escapeCommandProperty, formatGithub } from '../cli/format/github.ts';
import { formatMarkdown } from '../cli/format/markdown.ts';
import { formatSarif } from '../cli/format/sarif.ts';
import { formatInputError, loadPolicies } from '../cli/inputs.ts';
import { fingerprintPolicySet, type PolicyReport, worstScore } from '../cli/report.ts';
import { parsePolicy } from '../policy/parse.ts';
import { scorePolicy } from '../policy/risk/score.ts';
import { validatePolicy } from '../policy/validate/validate.ts';
import { appendOutput, appendSummary } from './github-files.ts';
import { expandGlobs } from './glob.ts';
import { type ActionEnv, type ActionInputs, readActionInputs } from './inputs.ts';
import { type FetchLike, pullRequestNumber, upsertPrComment } from './pr-comment.ts';

export interface ActionDeps {
  /** The step's environment (`INPUT_*`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_WORKSPACE`, …). */
  env: ActionEnv;
  /** Working directory when `GITHUB_WORKSPACE` is unset. */
  cwd: string;
  fetch: FetchLike;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Outputs the action sets, by name. */
export interface ActionOutputs {
  score: string;
  tier: string;
  would_auto_approve: string;
  policy_fingerprint: string;
  policy_count: string;
  summary: string;
}

/**
 * The GitHub Action entry: scores every policy in the files matching `policy-file`, annotates them, writes the
 * outputs (`score` = worst, `tier`, `would_auto_approve` = worst ≤ 4, `policy_fingerprint`), a Markdown job
 * summary, optional SARIF and an optional PR comment. Resolves to the exit code: 0 when every policy scores
 * below the threshold, 1 when one reaches it, 2 for bad inputs, unreadable files or no matching file.
 */
export async function runAction(deps: ActionDeps): Promise<number> {
  const { env } = deps;
  const inputs = readActionInputs(env);
  if (!inputs.ok) {
    for (const p of inputs.error)
      deps.stdout(`::error title=iam-jit action input::${escapeCommandData(p)}\n`);
    return EXIT.badInput;
  }
  const workspace = env.GITHUB_WORKSPACE || deps.cwd;
  const files = expandGlobs(inputs.value.policyFiles, workspace);
  if (files.length === 0) {
    deps.stdout(
      `::error title=iam-jit::${escapeCommandData(`policy-file matched no files: ${inputs.value.policyFiles.join(', ')}`)}\n`,
    );
    return EXIT.badInput;
  }
  const { policies, errors: readErrors } = await loadPolicies(files, {
    readFile: (p) => readFile(resolve(workspace, p), 'utf8'),
    readStdin: async () => '',
  });
  const { reports, errors } = analysePolicies(
    policies,
    { parsePolicy, scorePolicy, validatePolicy },
    { context: { accessType: inputs.value.accessType, durationHours: inputs.value.durationHours } },
  );
  const allErrors = [...readErrors, ...errors];
  for (const e of allErrors) {
    deps.stderr(`${formatInputError(e)}\n`);
    deps.stdout(
      `::error file=${escapeCommandProperty(e.file)},line=${e.line},col=${e.column}::${escapeCommandData(e.message)}\n`,
    );
  }
  const options = { threshold: inputs.value.threshold };
  deps.stdout(formatGithub(reports, { ...options, baseDir: workspace }));
  const markdown = `${formatMarkdown(reports, options)}\n_Preset \`${inputs.value.preset}\`, access type \`${inputs.value.accessType}\`, ${files.length} file(s) scanned._\n`;
  const outputs = computeOutputs(reports, markdown);

  if (env.GITHUB_OUTPUT) {
    for (const [name, value] of Object.entries(outputs)) appendOutput(env.GITHUB_OUTPUT, name, value);
  }
  if (env.GITHUB_STEP_SUMMARY) appendSummary(env.GITHUB_STEP_SUMMARY, markdown);
  if (inputs.value.sarifOutput) {
    const path = resolve(workspace, inputs.value.sarifOutput);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, formatSarif(reports, { ...options, baseDir: workspace }), 'utf8');
  }
  if (inputs.value.commentOnPr) await commentOnPr(deps, inputs.value, markdown);
  deps.stdout(
    `iam-jit: ${reports.length} polic${reports.length === 1 ? 'y' : 'ies'} in ${files.length} file(s); worst score ${outputs.score}/10 (${outputs.tier}), threshold ${inputs.value.threshold}\n`,
  );
  if (allErrors.length > 0) return EXIT.badInput;
  return reports.some((r) => (r.review?.score ?? 0) >= inputs.value.threshold) ? EXIT.failed : EXIT.ok;
}

/** The action outputs for a set of reports; `tier` is the band of the worst-scoring policy (`none` if none). */
export function computeOutputs(reports: readonly PolicyReport[], summary: string): ActionOutputs {
  const worst = worstScore(reports);
  const worstReport = reports.find((r) => r.review?.score === worst);
  return {
    score: String(worst),
    tier: worstReport?.review?.band ?? 'none',
    would_auto_approve: String(worst <= 4),
    policy_fingerprint: fingerprintPolicySet(reports.map((r) => r.fingerprint)),
    policy_count: String(reports.length),
    summary,
  };
}

async function commentOnPr(deps: ActionDeps, inputs: ActionInputs, markdown: string): Promise<void> {
  const { env } = deps;
  let event: unknown;
  try {
    event = env.GITHUB_EVENT_PATH
      ? (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown)
      : undefined;
  } catch {
    event = undefined;
  }
  const pullRequest = pullRequestNumber(event);
  if (pullRequest === undefined || !env.GITHUB_REPOSITORY) {
    deps.stdout('::notice title=iam-jit::comment-on-pr: not a pull request event, no comment posted\n');
    return;
  }
  if (!inputs.githubToken) {
    deps.stdout(
      '::warning title=iam-jit::comment-on-pr: no github-token or GITHUB_TOKEN, no comment posted\n',
    );
    return;
  }
  const result = await upsertPrComment({
    fetch: deps.fetch,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    token: inputs.githubToken,
    repository: env.GITHUB_REPOSITORY,
    pullRequest,
    body: markdown,
  });
  if (!result.ok) deps.stdout(`::warning title=iam-jit::comment-on-pr: ${escapeCommandData(result.error)}\n`);
}
