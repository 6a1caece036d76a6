import type { PolicyKind } from '../../policy/types.ts';
import { replaceIntrinsics } from './intrinsics.ts';
import { createLocator } from './locator.ts';
import { createResourceResolvers } from './resource-arns.ts';
import { type SourceDocument, toPointer } from './source-text.ts';
import type { ExtractedPolicy, InputError } from './types.ts';

/** True when a parsed document looks like a CloudFormation template (a `Resources` map of typed resources). */
export function isCloudFormationTemplate(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if ('AWSTemplateFormatVersion' in value) return true;
  const resources = value.Resources;
  return (
    isRecord(resources) && Object.values(resources).some((r) => isRecord(r) && typeof r.Type === 'string')
  );
}

/** Resource types whose `Properties.PolicyDocument` is one policy, with the kind that policy is. */
const POLICY_DOCUMENT_TYPES: Readonly<Record<string, PolicyKind>> = {
  'AWS::IAM::Policy': 'identity',
  'AWS::IAM::ManagedPolicy': 'identity',
  'AWS::IAM::RolePolicy': 'identity',
  'AWS::IAM::UserPolicy': 'identity',
  'AWS::IAM::GroupPolicy': 'identity',
  'AWS::S3::BucketPolicy': 'resource',
  'AWS::SQS::QueuePolicy': 'resource',
  'AWS::SNS::TopicPolicy': 'resource',
};

/** Resource types with inline `Properties.Policies[].PolicyDocument`. */
const INLINE_POLICY_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']);

/**
 * AWS SAM resources whose `Policies` may hold policy documents (objects with a `Statement`) besides managed
 * policy names and SAM policy templates, which are not documents and are skipped (AWS SAM Developer Guide,
 * "AWS::Serverless::Function", property `Policies`).
 */
const SAM_POLICY_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

interface Found {
  /** Path of the policy document in the template. */
  path: (string | number)[];
  /** Display path after `#` (e.g. `Resources/MyRole/Policies/0`). */
  label: string;
  kind?: PolicyKind;
  document: unknown;
}

/**
 * Extracts the IAM policies of a CloudFormation template (JSON or YAML): `AWS::IAM::Role` inline policies and
 * its `AssumeRolePolicyDocument` (as a trust policy), `AWS::IAM::User`/`Group` inline policies,
 * `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, S3/SQS/SNS resource policies, and the policy documents in
 * the `Policies` of AWS SAM functions and state machines. Intrinsic functions in a
 * policy become placeholder strings. A `PolicyDocument` given as an unparsable string is an input error.
 */
export function extractCloudFormation(
  file: string,
  source: SourceDocument,
): { policies: ExtractedPolicy[]; errors: InputError[] } {
  const resources = isRecord(source.value) ? source.value.Resources : undefined;
  const found: Found[] = [];
  if (isRecord(resources)) {
    for (const [id, resource] of Object.entries(resources)) {
      if (isRecord(resource)) found.push(...policiesOfResource(id, resource));
    }
  }
  const resolvers = createResourceResolvers(isRecord(resources) ? resources : {});
  const policies: ExtractedPolicy[] = [];
  const errors: InputError[] = [];
  for (const f of found) {
    const base = toPointer(f.path);
    const position = source.positions.get(base) ?? { line: 1, column: 1 };
    let document = f.document;
    if (typeof document === 'string') {
      try {
        document = JSON.parse(document) as unknown;
      } catch {
        errors.push({ file, ...position, message: `${f.label}: PolicyDocument is not valid JSON` });
        continue;
      }
    }
    policies.push({
      name: `${file}#${f.label}`,
      file,
      source: 'cloudformation',
      document: replaceIntrinsics(document, resolvers),
      ...(f.kind ? { kind: f.kind } : {}),
      position,
      locate: createLocator(source.positions, base, position),
    });
  }
  return { policies, errors };
}

function policiesOfResource(id: string, resource: Record<string, unknown>): Found[] {
  const type = String(resource.Type);
  const props = resource.Properties;
  if (!isRecord(props)) return [];
  const at = ['Resources', id, 'Properties'];
  const out: Found[] = [];
  const documentKind = POLICY_DOCUMENT_TYPES[type];
  if (documentKind !== undefined && props.PolicyDocument !== undefined) {
    out.push({
      path: [...at, 'PolicyDocument'],
      label: `Resources/${id}`,
      kind: documentKind,
      document: props.PolicyDocument,
    });
  }
  if (SAM_POLICY_TYPES.has(type)) {
    const policies = props.Policies;
    const entries: [unknown, (string | number)[]][] = Array.isArray(policies)
      ? policies.map((p, i) => [p, [i]])
      : [[policies, []]];
    for (const [entry, index] of entries) {
      if (isRecord(entry) && 'Statement' in entry) {
        out.push({
          path: [...at, 'Policies', ...index],
          label: ['Resources', id, 'Policies', ...index].join('/'),
          kind: 'identity',
          document: entry,
        });
      }
    }
  }
  if (INLINE_POLICY_TYPES.has(type)) {
    if (type === 'AWS::IAM::Role' && props.AssumeRolePolicyDocument !== undefined) {
      out.push({
        path: [...at, 'AssumeRolePolicyDocument'],
        label: `Resources/${id}/AssumeRolePolicyDocument`,
        kind: 'trust',
        document: props.AssumeRolePolicyDocument,
      });
    }
    const inline = props.Policies;
    if (Array.isArray(inline)) {
      inline.forEach((entry, i) => {
        const policy = isRecord(entry) && 'PolicyDocument' in entry ? entry : replaceIntrinsics(entry);
        if (isRecord(policy) && policy.PolicyDocument !== undefined) {
          out.push({
            path: [...at, 'Policies', i, 'PolicyDocument'],
            label: `Resources/${id}/Policies/${i}`,
            kind: 'identity',
            document: policy.PolicyDocument,
          });
        }
      });
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
