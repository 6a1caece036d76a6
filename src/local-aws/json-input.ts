/** Reading JSON 1.1 inputs against model constraints, failing with `ValidationException` as SSO Admin and Identity Store do. */
import { AwsApiError } from './errors.ts';
import { type StringConstraint, stringViolation } from './validation.ts';

/** JSON-protocol `ValidationException` (400). */
export function validationException(message: string): AwsApiError {
  return new AwsApiError('ValidationException', message, 400);
}

/** JSON-protocol `ResourceNotFoundException` (400). */
export function resourceNotFound(message: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', message, 400);
}

/** JSON-protocol `ConflictException` (400). */
export function conflict(message: string): AwsApiError {
  return new AwsApiError('ConflictException', message, 400);
}

function member(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A required string member; ValidationException when missing, not a string, or outside its constraints. */
export function reqString(input: Record<string, unknown>, name: string, c: StringConstraint = {}): string {
  const value = input[name];
  if (value === undefined || value === null) {
    throw validationException(
      `1 validation error detected: Value null at '${member(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return checked(name, value, c);
}

/** An optional string member (absent → undefined). */
export function optString(
  input: Record<string, unknown>,
  name: string,
  c: StringConstraint = {},
): string | undefined {
  const value = input[name];
  return value === undefined || value === null ? undefined : checked(name, value, c);
}

function checked(name: string, value: unknown, c: StringConstraint): string {
  if (typeof value !== 'string') throw validationException(`${name} must be a string`);
  const v = stringViolation(value, c);
  if (v) {
    throw validationException(
      `1 validation error detected: Value '${value}' at '${member(name)}' failed to satisfy constraint: ${v}`,
    );
  }
  return value;
}

/** An optional member that must be one of `values`. */
export function optEnum<T extends string>(
  input: Record<string, unknown>,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T)) {
    throw validationException(
      `1 validation error detected: Value '${String(value)}' at '${member(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value as T;
}

/** A required enum member. */
export function reqEnum<T extends string>(
  input: Record<string, unknown>,
  name: string,
  values: readonly T[],
): T {
  const value = optEnum(input, name, values);
  if (value === undefined) {
    throw validationException(
      `1 validation error detected: Value null at '${member(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/**
 * One page for NextToken/MaxResults pagination (MaxResults 1…100, default `defaultMax`). The token is the
 * offset of the next item; an unreadable token is a ValidationException.
 */
export function jsonPage<T>(
  items: readonly T[],
  input: Record<string, unknown>,
  defaultMax = 100,
): { page: T[]; nextToken?: string } {
  const max = input.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100)) {
    throw validationException('MaxResults must be an integer between 1 and 100');
  }
  const token = optString(input, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    const m = /^n(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw validationException('Invalid NextToken');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + ((max as number | undefined) ?? defaultMax));
  const next = start + page.length;
  return next < items.length ? { page, nextToken: Buffer.from(`n${next}`).toString('base64url') } : { page };
}
