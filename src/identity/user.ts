import { err, ok, type Result } from '../lib/result.ts';
import { normalizePrincipalArn } from './iam-arn.ts';

/** Roles a user can hold. An admin may do everything an approver or requester may. */
export const ROLES = ['requester', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A principal allowed to use iam-jit. */
export interface User {
  /** `email:alice@x.com` or `iam:arn:aws:iam::111122223333:role/Devops` (always normalised). */
  readonly id: string;
  readonly displayName: string;
  /** Sorted in `ROLES` order, without duplicates. */
  readonly roles: readonly Role[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

// Deliberately simple (RFC 5321 local@domain without quoting): ids must be easy to type and compare.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

/** Lowercases and checks an email address; returns an error text when it is not one. */
export function normalizeEmail(email: string): Result<string, string> {
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e)) return err('not a valid email address');
  return ok(e);
}

/**
 * Normalises a user id: `email:<address>` (lowercased) or `iam:<principal ARN>` (see `normalizePrincipalArn`,
 * so an assumed-role ARN becomes its role ARN). Returns an error text for anything else.
 */
export function normalizeUserId(id: string): Result<string, string> {
  const text = id.trim();
  if (text.startsWith('email:')) {
    const email = normalizeEmail(text.slice('email:'.length));
    return email.ok ? ok(`email:${email.value}`) : email;
  }
  if (text.startsWith('iam:')) {
    const arn = normalizePrincipalArn(text.slice('iam:'.length));
    return arn.ok ? ok(`iam:${arn.value}`) : arn;
  }
  return err('user id must start with "email:" or "iam:"');
}

/** The user id for an email address (`email:` + lowercased address), or an error text. */
export function emailUserId(email: string): Result<string, string> {
  const e = normalizeEmail(email);
  return e.ok ? ok(`email:${e.value}`) : e;
}

/** Deduplicates and orders roles as in `ROLES`. */
export function sortRoles(roles: Iterable<Role>): Role[] {
  const set = new Set(roles);
  return ROLES.filter((r) => set.has(r));
}

/** True when `user` may act in `role`: it holds the role, or is an admin. Says nothing about `enabled`. */
export function hasRole(user: Pick<User, 'roles'>, role: Role): boolean {
  return user.roles.includes(role) || user.roles.includes('admin');
}

/** True for an enabled user holding the admin role: the ones the last-admin guard counts. */
export function isActiveAdmin(user: Pick<User, 'roles' | 'enabled'>): boolean {
  return user.enabled && user.roles.includes('admin');
}
