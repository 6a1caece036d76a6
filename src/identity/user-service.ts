import { SYSTEM_ACTOR } from '../audit/audit-event.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditLog } from '../audit/ports.ts';
import type { Clock } from '../lib/clock.ts';
import { BrokerError } from '../lib/errors.ts';
import type { InTransaction, SessionRepo, UserListOptions, UserPatch, UserRepo } from './ports.ts';
import { isActiveAdmin, normalizeUserId, ROLES, type Role, sortRoles, type User } from './user.ts';

/** Input for creating a user. */
export interface NewUser {
  /** `email:…` or `iam:arn:…`; normalised (see `normalizeUserId`). */
  id: string;
  /** Defaults to the email address or the ARN's last segment. */
  displayName?: string;
  /** Defaults to `['requester']`. */
  roles?: readonly Role[];
  /** Defaults to true. */
  enabled?: boolean;
}

/**
 * User administration. Every method throws BrokerError: `InvalidInput`, `NotFound`, `UserExists`, `LastAdmin`.
 * Changes are audited in their transaction (`user.created`, `user.updated` with each changed field's from/to,
 * `user.deleted`); `actor` is the admin who made the change (default `system`: start-up, `seed-admin`, fixtures).
 */
export interface UserService {
  create(input: NewUser, actor?: string): Promise<User>;
  /** The user, or undefined (the id is normalised first; an unparseable id is simply not found). */
  get(id: string): Promise<User | undefined>;
  /** See `UserRepo.list`. */
  list(options?: UserListOptions): Promise<User[]>;
  /** Changes display name, roles or enabled; refuses to leave no enabled admin (`LastAdmin`). */
  update(id: string, patch: UserPatch, actor?: string): Promise<User>;
  /** Deletes the user with their tokens, sessions and links; refuses for the last enabled admin (`LastAdmin`). */
  remove(id: string, actor?: string): Promise<void>;
  /**
   * Makes sure `id` exists as an enabled admin (creating or promoting it) — for `seed-admin` and dev-mode start-up.
   * Returns the user and whether anything changed.
   */
  ensureAdmin(id: string, actor?: string): Promise<{ user: User; changed: boolean }>;
}

/** What changed between two versions of a user, as `{ field: { from, to } }` (API field names). */
function userChanges(before: User, after: User): JsonObject {
  const out: Record<string, JsonObject> = {};
  if (before.displayName !== after.displayName)
    out.display_name = { from: before.displayName, to: after.displayName };
  if (before.roles.join() !== after.roles.join())
    out.roles = { from: [...before.roles], to: [...after.roles] };
  if (before.enabled !== after.enabled) out.enabled = { from: before.enabled, to: after.enabled };
  return out;
}

const createdData = (user: User): JsonObject => ({
  display_name: user.displayName,
  roles: [...user.roles],
  enabled: user.enabled,
});

const MAX_DISPLAY_NAME = 200;

function requireUserId(id: string): string {
  const parsed = normalizeUserId(id);
  if (!parsed.ok)
    throw new BrokerError('InvalidInput', `invalid user id: ${parsed.error}`, {
      details: { field: 'user_id' },
    });
  return parsed.value;
}

function checkRoles(roles: readonly string[]): Role[] {
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new BrokerError(
      'InvalidInput',
      `unknown role(s): ${unknown.join(', ')}; expected ${ROLES.join(', ')}`,
      {
        details: { field: 'roles' },
      },
    );
  return sortRoles(roles as Role[]);
}

function checkDisplayName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > MAX_DISPLAY_NAME)
    throw new BrokerError('InvalidInput', `display name must be 1-${MAX_DISPLAY_NAME} characters`, {
      details: { field: 'display_name' },
    });
  return trimmed;
}

function defaultDisplayName(id: string): string {
  return id.startsWith('email:') ? id.slice('email:'.length) : (id.split('/').at(-1) ?? id);
}

/** Creates the user service over its repo, a transaction runner and a clock. */
export function createUserService(deps: {
  users: UserRepo;
  /** Sessions and the audit log are bound too: disabling a user ends their sessions in the same transaction. */
  transaction: InTransaction<{ users: UserRepo; sessions: SessionRepo; audit: AuditLog }>;
  clock: Clock;
}): UserService {
  const { users, transaction, clock } = deps;

  /** Throws LastAdmin when removing `id`'s admin power would leave no enabled admin. Call inside a transaction. */
  async function guardLastAdmin(repo: UserRepo, id: string, action: string): Promise<void> {
    const admins = await repo.lockActiveAdminIds();
    if (admins.includes(id) && admins.length === 1)
      throw new BrokerError('LastAdmin', `cannot ${action} the last enabled admin`, {
        details: { user_id: id },
      });
  }

  return {
    async create(input, actor = SYSTEM_ACTOR) {
      const id = requireUserId(input.id);
      const now = clock.now();
      const user: User = {
        id,
        displayName: checkDisplayName(input.displayName ?? defaultDisplayName(id)),
        roles: checkRoles(input.roles ?? ['requester']),
        enabled: input.enabled ?? true,
        createdAt: now,
        updatedAt: now,
      };
      return transaction(async ({ users: repo, audit }) => {
        if (!(await repo.insert(user))) throw new BrokerError('UserExists', `user ${id} already exists`);
        await audit.append({ at: now, actor, action: 'user.created', subject: id, data: createdData(user) });
        return user;
      });
    },

    async get(id) {
      const parsed = normalizeUserId(id);
      return parsed.ok ? users.get(parsed.value) : undefined;
    },

    list: (options) => users.list(options),

    async update(rawId, patch, actor = SYSTEM_ACTOR) {
      const id = requireUserId(rawId);
      const clean: UserPatch = {};
      if (patch.displayName !== undefined) clean.displayName = checkDisplayName(patch.displayName);
      if (patch.roles !== undefined) clean.roles = checkRoles(patch.roles);
      if (patch.enabled !== undefined) clean.enabled = patch.enabled;
      return transaction(async ({ users: repo, sessions, audit }) => {
        const current = await repo.get(id);
        if (current === undefined) throw new BrokerError('NotFound', `user ${id} not found`);
        const next = { roles: clean.roles ?? current.roles, enabled: clean.enabled ?? current.enabled };
        if (isActiveAdmin(current) && !isActiveAdmin(next))
          await guardLastAdmin(repo, id, next.enabled ? 'remove the admin role from' : 'disable');
        const now = clock.now();
        const updated = await repo.update(id, clean, now);
        if (updated === undefined) throw new BrokerError('NotFound', `user ${id} not found`);
        // A disabled user's browser sessions end now, so re-enabling them later does not revive old sessions.
        const ended = current.enabled && !next.enabled ? await sessions.deleteForUser(id) : 0;
        const changes = userChanges(current, updated);
        if (Object.keys(changes).length > 0)
          await audit.append({
            at: now,
            actor,
            action: 'user.updated',
            subject: id,
            data: { changes, ...(ended > 0 ? { sessions_ended: ended } : {}) },
          });
        return updated;
      });
    },

    async remove(rawId, actor = SYSTEM_ACTOR) {
      const id = requireUserId(rawId);
      await transaction(async ({ users: repo, audit }) => {
        const current = await repo.get(id);
        if (current === undefined) throw new BrokerError('NotFound', `user ${id} not found`);
        if (isActiveAdmin(current)) await guardLastAdmin(repo, id, 'delete');
        await repo.delete(id);
        await audit.append({
          at: clock.now(),
          actor,
          action: 'user.deleted',
          subject: id,
          data: createdData(current),
        });
      });
    },

    async ensureAdmin(rawId, actor = SYSTEM_ACTOR) {
      const id = requireUserId(rawId);
      return transaction(async ({ users: repo, audit }) => {
        const current = await repo.get(id);
        const now = clock.now();
        if (current === undefined) {
          const user: User = {
            id,
            displayName: defaultDisplayName(id),
            roles: [...ROLES],
            enabled: true,
            createdAt: now,
            updatedAt: now,
          };
          if (!(await repo.insert(user))) throw new BrokerError('UserExists', `user ${id} already exists`);
          await audit.append({
            at: now,
            actor,
            action: 'user.created',
            subject: id,
            data: createdData(user),
          });
          return { user, changed: true };
        }
        if (isActiveAdmin(current)) return { user: current, changed: false };
        const updated = await repo.update(
          id,
          { roles: sortRoles([...current.roles, 'admin']), enabled: true },
          now,
        );
        if (updated === undefined) throw new BrokerError('NotFound', `user ${id} not found`);
        await audit.append({
          at: now,
          actor,
          action: 'user.updated',
          subject: id,
          data: { changes: userChanges(current, updated) },
        });
        return { user: updated, changed: true };
      });
    },
  };
}
