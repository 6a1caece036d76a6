// Tools that work on policies without side effects: draft, analyse (and its established alias), preview.
import { z } from 'zod';
import { PolicyDocumentSchema } from '../../client/api-schemas.ts';
import type { AnalyzeResult, SubmitInput } from '../../client/api-types.ts';
import { defineTool, type ToolDefinition, type ToolOutput } from '../tool.ts';
import { defined, policyFields, requestFields, resolveAccountIds, submitFields } from './shared.ts';

const analyzeShape = {
  policy: PolicyDocumentSchema.describe('The IAM policy document (JSON object or its text)'),
  kind: z
    .enum(['identity', 'resource', 'trust', 'scp', 'boundary', 'session'])
    .optional()
    .describe('Policy kind; inferred when omitted (e.g. a trust policy)'),
  environment: z
    .string()
    .max(32)
    .optional()
    .describe('Target environment such as "prod" (raises the risk of writes)'),
  duration_hours: z.number().positive().max(8760).optional().describe('Intended grant duration in hours'),
  access_type: requestFields.access_type,
};

function analyzeOutput(r: AnalyzeResult): ToolOutput {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const risk =
    r.risk === null
      ? 'no risk score (the policy does not parse)'
      : `risk ${r.risk.score}/10 (${r.risk.band}): ${r.risk.summary}`;
  return {
    summary: `${r.kind} policy, ${r.findings.length} finding(s) (${errors} error(s)); ${risk}`,
    data: r as unknown as Record<string, unknown>,
  };
}

const analyzeDescription =
  'Validate an IAM policy and score its risk without submitting anything: findings (errors, warnings, suggestions with JSON pointers) and a ' +
  'risk review (score 1–10, band, the factors behind it, narrowing suggestions).';

/** draft_policy, analyze_policy, score_iam_policy, preview_request. */
export const POLICY_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'draft_policy',
    title: 'Draft a least-privilege policy',
    description:
      'Turn the actions and resources a task needs (e.g. actions ["s3:GetObject","s3:ListBucket"], resources ["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]), ' +
      'or a service plus access levels, into a least-privilege IAM policy with each action bound to the resource types it accepts. Returns the policy and notes to check. ' +
      'Optional: submit_role_request accepts the same actions/resources and drafts them itself.',
    inputSchema: {
      actions: policyFields.actions,
      resources: policyFields.resources,
      service: policyFields.service,
      access_levels: policyFields.access_levels,
      access_type: requestFields.access_type,
      include_dependent_actions: z
        .boolean()
        .optional()
        .describe('Also add the actions these depend on (e.g. kms:Decrypt)'),
    },
    annotations: { readOnlyHint: true },
    async run(input, { client }) {
      const r = await client.draft(defined(input));
      return {
        summary: `Drafted a policy with ${Array.isArray(r.policy.Statement) ? r.policy.Statement.length : 0} statement(s).${r.notes.length ? ` Notes: ${r.notes.join(' ')}` : ''}`,
        data: r as unknown as Record<string, unknown>,
      };
    },
  }),
  defineTool({
    name: 'analyze_policy',
    title: 'Validate and score a policy',
    description: `${analyzeDescription} Use before submitting a hand-written policy, or to review one.`,
    inputSchema: analyzeShape,
    annotations: { readOnlyHint: true },
    async run(input, { client }) {
      return analyzeOutput(await client.analyze(defined(input) as Parameters<typeof client.analyze>[0]));
    },
  }),
  defineTool({
    name: 'score_iam_policy',
    title: 'Score a policy (alias of analyze_policy)',
    description: `${analyzeDescription} Same as analyze_policy, under the name agents of the established iam-jit MCP server know.`,
    inputSchema: analyzeShape,
    annotations: { readOnlyHint: true },
    async run(input, { client }) {
      return analyzeOutput(await client.analyze(defined(input) as Parameters<typeof client.analyze>[0]));
    },
  }),
  defineTool({
    name: 'preview_request',
    title: 'Preview a request without submitting',
    description:
      'Dry-run of submit_role_request with the same arguments: the policy that would be requested, validation findings, risk score for the target account, ' +
      'the effective duration, and whether it would be auto-approved. Nothing is created. Use when you want to check or narrow before submitting.',
    inputSchema: submitFields,
    annotations: { readOnlyHint: true },
    async run(input, { client }) {
      const account_ids = await resolveAccountIds(client, input.account_ids);
      const p = await client.preview(defined({ ...input, account_ids }) as SubmitInput);
      const risk = p.risk === null ? 'no risk score' : `risk ${p.risk.score}/10 (${p.risk.band})`;
      return {
        summary: `${p.valid ? 'Valid' : 'Invalid'} request for ${p.account_ids.join(', ')} for ${p.duration_hours} h; ${risk}; ${p.findings.length} finding(s)${p.would_auto_approve ? '; would be auto-approved' : ''}.`,
        data: p as unknown as Record<string, unknown>,
      };
    },
  }),
];
