/**
 * Input constraints from the botocore models (length, pattern, range) and IAM quotas, with AWS's
 * `1 validation error detected: …` messages. Patterns are the models' own, anchored.
 */
import { invalidInput, limitExceeded, validationError } from './errors.ts';
import type { Tag } from './state.ts';

/** A string member's model constraints. */
export interface StringConstraint {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

/** Model constraints used by IAM and STS (service-2.json shapes of the same names). */
export const IAM_SHAPES = {
  roleName: { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/ },
  policyName: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/ },
  rolePath: { min: 1, max: 512, pattern: /^(\u002F|\u002F[\u0021-\u007E]+\u002F)$/ },
  policyPath: { min: 1, max: 512, pattern: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/ },
  pathPrefix: { min: 1, max: 512, pattern: /^\u002F[\u0021-\u007F]*$/ },
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the model's pattern admits tab, LF and CR
  policyDocument: { min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ },
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the model's pattern admits tab, LF and CR
  description: { max: 1000, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/ },
  arn: { min: 20, max: 2048 },
  tagKey: { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u },
  tagValue: { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u },
  marker: { min: 1, max: 320, pattern: /^[\u0020-\u00FF]+$/ },
  roleSessionName: { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/ },
  externalId: { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/ },
  sourceIdentity: { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/ },
} as const satisfies Record<string, StringConstraint>;

/** The member name as AWS prints it in validation messages (`RoleName` → `roleName`). */
function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Returns the constraint the value breaks, in AWS's wording, or undefined when it is valid. */
export function stringViolation(value: string, c: StringConstraint): string | undefined {
  // Lengths count code points (a surrogate pair is one character); spread into an array only when there is one.
  const length = SURROGATE.test(value) ? [...value].length : value.length;
  if (c.min !== undefined && length < c.min)
    return `Member must have length greater than or equal to ${c.min}`;
  if (c.max !== undefined && length > c.max) return `Member must have length less than or equal to ${c.max}`;
  if (c.pattern && !c.pattern.test(value)) {
    return `Member must satisfy regular expression pattern: ${c.pattern.source.replace(/^\^|\$$/g, '')}`;
  }
  return undefined;
}

/** Checks a required string parameter; throws `ValidationError` when missing or out of its constraints. */
export function requireString(name: string, value: string | undefined, c: StringConstraint = {}): string {
  if (value === undefined) {
    throw validationError(
      `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return checkString(name, value, c);
}

/** Checks an optional string parameter (undefined passes). */
export function optionalString(
  name: string,
  value: string | undefined,
  c: StringConstraint,
): string | undefined {
  return value === undefined ? undefined : checkString(name, value, c);
}

function checkString(name: string, value: string, c: StringConstraint): string {
  const v = stringViolation(value, c);
  if (v) {
    const shown = value.length > 256 ? `${value.slice(0, 256)}…` : value;
    throw validationError(
      `1 validation error detected: Value '${shown}' at '${memberName(name)}' failed to satisfy constraint: ${v}`,
    );
  }
  return value;
}

/** Parses an optional integer parameter within [min, max]; throws `ValidationError` otherwise. */
export function optionalInteger(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw validationError(`Invalid value '${value}' for parameter ${name}: not an integer`);
  if (n < min) {
    throw validationError(
      `1 validation error detected: Value '${n}' at '${memberName(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  }
  if (n > max) {
    throw validationError(
      `1 validation error detected: Value '${n}' at '${memberName(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return n;
}

/** Tags per IAM resource (IAM User Guide, "IAM and AWS STS quotas"). */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Validates a tag list (key/value constraints, no `aws:` prefix, no duplicate keys) and returns it.
 * Source: IAM User Guide, "Tagging IAM resources" — tag rules.
 */
export function checkTags(tags: Array<Record<string, string | undefined>>): Tag[] {
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw validationError(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS_PER_RESOURCE}`,
    );
  }
  const seen = new Set<string>();
  return tags.map((t, i) => {
    const key = requireString(`Tags.member.${i + 1}.member.key`, t.Key, IAM_SHAPES.tagKey);
    const value = requireString(`Tags.member.${i + 1}.member.value`, t.Value, IAM_SHAPES.tagValue);
    if (key.toLowerCase().startsWith('aws:'))
      throw invalidInput('User-defined tag keys can\u2019t start with "aws:".');
    if (seen.has(key.toLowerCase()))
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    return { Key: key, Value: value };
  });
}

/** Merges `added` into `existing` (case-insensitive keys, new values win); LimitExceeded past 50 tags. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key.toLowerCase(), t] as const));
  for (const t of added) byKey.set(t.Key.toLowerCase(), t);
  if (byKey.size > MAX_TAGS_PER_RESOURCE) {
    throw limitExceeded(`The number of tags has reached the maximum limit of ${MAX_TAGS_PER_RESOURCE}.`);
  }
  return [...byKey.values()];
}
