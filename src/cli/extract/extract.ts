import { extractCloudFormation, isCloudFormationTemplate } from './cloudformation.ts';
import { createLocator } from './locator.ts';
import { extractRoleRequest, isRoleRequest } from './role-request.ts';
import { parseJsonDocument, type SourceDocument, type TextError } from './source-text.ts';
import { extractTerraform, isTerraformJson } from './terraform.ts';
import type { ExtractedPolicy, InputError } from './types.ts';
import { parseYamlDocument } from './yaml-document.ts';

/** The policies found in one input, and the problems that kept others from being read. */
export interface Extraction {
  policies: ExtractedPolicy[];
  errors: InputError[];
}

/**
 * Finds the IAM policies in one input text: a raw policy document (JSON, or YAML), a CloudFormation template
 * (JSON or YAML with short-form tags), Terraform plan/state JSON or an iam-jit RoleRequest. Files named `.yaml`/`.yml`, and any text
 * not starting with `{` or `[`, are read as YAML; everything else as strict JSON. Never throws: syntax
 * errors and unrecognised documents come back as `errors` with a line and column.
 */
export function extractPolicies(file: string, text: string): Extraction {
  const parsed = parseSource(file, text);
  if (!parsed.ok) return { policies: [], errors: [{ file, ...parsed.error }] };
  const source = parsed.value;
  if (isCloudFormationTemplate(source.value)) return extractCloudFormation(file, source);
  if (isTerraformJson(source.value)) return extractTerraform(file, source);
  if (isRoleRequest(source.value)) return extractRoleRequest(file, source);
  if (isPolicyDocument(source.value)) {
    const position = source.positions.get('') ?? { line: 1, column: 1 };
    return {
      policies: [
        {
          name: file,
          file,
          source: 'policy',
          document: source.value,
          position,
          locate: createLocator(source.positions, '', position),
        },
      ],
      errors: [],
    };
  }
  return {
    policies: [],
    errors: [
      {
        file,
        line: 1,
        column: 1,
        message:
          'no IAM policy found: expected a policy document with a Statement, a CloudFormation template, Terraform plan JSON or a RoleRequest',
      },
    ],
  };
}

function parseSource(
  file: string,
  text: string,
): { ok: true; value: SourceDocument } | { ok: false; error: TextError } {
  const looksJson = /^\s*[{[]/.test(text);
  if (/\.ya?ml$/i.test(file) || !looksJson) return parseYamlDocument(text);
  return parseJsonDocument(text);
}

function isPolicyDocument(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'Statement' in value;
}
