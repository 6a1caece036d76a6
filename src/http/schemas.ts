import { z } from '@hono/zod-openapi';
import type { User } from '../identity/user.ts';
import { ROLES } from '../identity/user.ts';

/** The error body every route may return (see `errors.ts`). */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'NotFound' }),
      message: z.string().openapi({ example: 'user email:bob@example.com not found' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** An error response entry for `createRoute({ responses })`. */
export function errorContent(description: string) {
  return { description, content: { 'application/json': { schema: ErrorSchema } } };
}

/** The error responses most authenticated routes share. */
export const COMMON_ERRORS = {
  400: errorContent(
    'Malformed JSON (with line, column and position), a wrong type (naming the field), or invalid input',
  ),
  401: errorContent(
    'not authenticated / invalid bearer token format / bearer token not found (WWW-Authenticate: Bearer)',
  ),
  403: errorContent(
    'user is disabled / user is no longer in the iam-jit user list / <role> role required / Origin mismatch',
  ),
  413: errorContent('Request body over 1 MiB'),
} as const;

/** A JSON response entry for `createRoute({ responses })`. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body entry for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T, { required = true }: { required?: boolean } = {}) {
  return { required, content: { 'application/json': { schema } } };
}

/** `?limit=`: an optional page size from 1 to `max` (coerced from the query string). */
export function limitParam(max: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .openapi({ param: { name: 'limit', in: 'query' }, description: `Page size, 1–${max}` });
}

/** A keyset cursor query parameter (`?after=` or `?cursor=`): the `next_cursor` of the previous page. */
export function cursorParam(name: 'after' | 'cursor') {
  return z
    .string()
    .optional()
    .openapi({ param: { name, in: 'query' }, description: 'Cursor: next_cursor of the previous page' });
}

export const RoleSchema = z.enum(ROLES).openapi('Role');

/** A user as the API shows it. */
export const UserSchema = z
  .object({
    user_id: z.string().openapi({ example: 'email:alice@example.com' }),
    display_name: z.string(),
    roles: z.array(RoleSchema),
    enabled: z.boolean(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

/** The API form of a user (snake_case, ISO timestamps). */
export function userJson(user: User): z.infer<typeof UserSchema> {
  return {
    user_id: user.id,
    display_name: user.displayName,
    roles: [...user.roles],
    enabled: user.enabled,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
