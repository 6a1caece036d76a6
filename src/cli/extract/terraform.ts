import type { PolicyKind } from '../../policy/types.ts';
import { createLocator } from './locator.ts';
import { type SourceDocument, toPointer } from './source-text.ts';
import type { ExtractedPolicy, InputError } from './types.ts';

/**
 * True for `terraform show -json` output: a plan (`planned_values`) or a state (`values`), both carrying
 * `format_version` (Terraform documentation, "JSON Output Format").
 */
export function isTerraformJson(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.format_version === 'string' &&
    (isRecord(value.planned_values) || isRecord(value.values))
  );
}

/** Resource types whose `policy` attribute is one policy JSON string, with the kind that policy is. */
const POLICY_ATTRIBUTE_TYPES: Readonly<Record<string, PolicyKind>> = {
  aws_iam_policy: 'identity',
  aws_iam_role_policy: 'identity',
  aws_iam_user_policy: 'identity',
  aws_iam_group_policy: 'identity',
  aws_s3_bucket_policy: 'resource',
  aws_sqs_queue_policy: 'resource',
  aws_sns_topic_policy: 'resource',
};

interface Found {
  path: (string | number)[];
  label: string;
  kind: PolicyKind;
  json: string;
}

/**
 * Extracts the IAM policies of a Terraform plan or state in JSON: `aws_iam_policy`, `aws_iam_role_policy`
 * (and the user/group variants), `aws_iam_role`'s `assume_role_policy` (as a trust policy) and
 * `inline_policy` blocks, and S3/SQS/SNS resource policies, walking child modules. Policies are JSON strings
 * in the plan; their position is the string's. Values unknown until apply are absent and skipped.
 */
export function extractTerraform(
  file: string,
  source: SourceDocument,
): { policies: ExtractedPolicy[]; errors: InputError[] } {
  const root = isRecord(source.value) ? source.value : {};
  const top = isRecord(root.planned_values) ? 'planned_values' : 'values';
  const found: Found[] = [];
  const rootModule = isRecord(root[top]) ? (root[top] as Record<string, unknown>).root_module : undefined;
  if (isRecord(rootModule)) walkModule(rootModule, [top, 'root_module'], found);
  const policies: ExtractedPolicy[] = [];
  const errors: InputError[] = [];
  for (const f of found) {
    const base = toPointer(f.path);
    const position = source.positions.get(base) ?? { line: 1, column: 1 };
    let document: unknown;
    try {
      document = JSON.parse(f.json) as unknown;
    } catch {
      errors.push({ file, ...position, message: `${f.label}: policy is not valid JSON` });
      continue;
    }
    policies.push({
      name: `${file}#${f.label}`,
      file,
      source: 'terraform',
      document,
      kind: f.kind,
      position,
      // The policy is a string inside the plan, so every element maps to the string's own position.
      locate: createLocator(new Map(), base, position),
    });
  }
  return { policies, errors };
}

function walkModule(module: Record<string, unknown>, path: (string | number)[], out: Found[]): void {
  const resources = Array.isArray(module.resources) ? module.resources : [];
  resources.forEach((resource, i) => {
    if (isRecord(resource) && resource.mode !== 'data') {
      collect(resource, [...path, 'resources', i], out);
    }
  });
  const children = Array.isArray(module.child_modules) ? module.child_modules : [];
  children.forEach((child, i) => {
    if (isRecord(child)) walkModule(child, [...path, 'child_modules', i], out);
  });
}

function collect(resource: Record<string, unknown>, path: (string | number)[], out: Found[]): void {
  const type = String(resource.type);
  const address = String(resource.address ?? `${type}.${String(resource.name)}`);
  const values = isRecord(resource.values) ? resource.values : {};
  const at = [...path, 'values'];
  const kind = POLICY_ATTRIBUTE_TYPES[type];
  if (kind !== undefined && isPolicyText(values.policy)) {
    out.push({ path: [...at, 'policy'], label: address, kind, json: values.policy });
  }
  if (type !== 'aws_iam_role') return;
  if (isPolicyText(values.assume_role_policy)) {
    out.push({
      path: [...at, 'assume_role_policy'],
      label: `${address}/assume_role_policy`,
      kind: 'trust',
      json: values.assume_role_policy,
    });
  }
  const inline = Array.isArray(values.inline_policy) ? values.inline_policy : [];
  inline.forEach((block, i) => {
    if (isRecord(block) && isPolicyText(block.policy)) {
      out.push({
        path: [...at, 'inline_policy', i, 'policy'],
        label: `${address}/inline_policy/${i}`,
        kind: 'identity',
        json: block.policy,
      });
    }
  });
}

function isPolicyText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
