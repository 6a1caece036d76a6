import type { PolicyKind } from '../../policy/types.ts';
import type { TextPosition } from './source-text.ts';

/** What kind of file a policy came from. */
export const POLICY_SOURCES = ['policy', 'cloudformation', 'terraform', 'role-request'] as const;
export type PolicySource = (typeof POLICY_SOURCES)[number];

/** One IAM policy document found in an input file. */
export interface ExtractedPolicy {
  /** Display name, e.g. `template.yaml#Resources/MyRole/Policies/0`; the file name alone for a raw policy. */
  name: string;
  /** The input file as given on the command line (`-` for stdin). */
  file: string;
  source: PolicySource;
  /** The policy document as plain JSON, CloudFormation intrinsics replaced by placeholder strings. */
  document: unknown;
  /** Set when the location implies the kind (an `AssumeRolePolicyDocument` is a trust policy). */
  kind?: PolicyKind;
  /** Where the policy document starts. */
  position: TextPosition;
  /**
   * Position of a JSON pointer inside the policy document (e.g. `/Statement/1`); falls back to the nearest
   * enclosing element, and to the policy itself for policies embedded as strings (Terraform).
   */
  locate(pointer: string): TextPosition;
}

/** An input that could not be read or parsed; printed as `file:line:col: message`. */
export interface InputError {
  file: string;
  line: number;
  column: number;
  message: string;
}
