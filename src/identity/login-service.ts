import { ANONYMOUS_ACTOR } from '../audit/audit-event.ts';
import type { JsonObject } from '../audit/canonical-json.ts';
import type { AuditLog } from '../audit/ports.ts';
import { addMs, type Clock, HOUR, MINUTE } from '../lib/clock.ts';
import { randomBase64Url } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import { hashSecret } from './api-token.ts';
import type { InTransaction, MagicLinkRepo, SessionRepo, UserRepo } from './ports.ts';
import { emailUserId, type User } from './user.ts';

/** Login links live 15 minutes (issue 4). */
export const MAGIC_LINK_TTL_MS = 15 * MINUTE;
/** Sessions live 24 hours (issue 4). */
export const SESSION_TTL_MS = 24 * HOUR;

/** A login link to deliver: the token goes into the URL; only its hash is stored. */
export interface IssuedLink {
  readonly userId: string;
  readonly email: string;
  readonly token: string;
  readonly expiresAt: Date;
}

/** A new session: the token goes into the cookie; only its hash is stored. */
export interface IssuedSession {
  readonly user: User;
  readonly token: string;
  readonly expiresAt: Date;
}

/** Why a sign-in link did not open a session (`auth.login_failed` data `reason`). */
export const LOGIN_FAILURE_REASONS = [
  'malformed_link',
  'unknown_link',
  'link_expired',
  'link_already_used',
  'user_disabled',
] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

/** Where a sign-in attempt came from, for the audit row (never the link itself). */
export interface LoginContext {
  /** The client's IP address as the edge sees it. */
  readonly ip?: string;
}

/**
 * Magic-link login and server-side sessions. No method throws for expected outcomes. Every method that changes
 * state records it in the audit log in the same transaction (`auth.link_requested`, `auth.login`,
 * `auth.login_failed`, `auth.logout`): with link and session ids, never a token or a link.
 */
export interface LoginService {
  /**
   * Issues a single-use link for an enabled user with this email; undefined for an unknown, disabled or malformed
   * address (nothing recorded then). Callers must answer both cases identically (and rate-limit per email and IP
   * before calling). `actor` is who asked: `anonymous` (default, the sign-in form) or `system` (start-up).
   */
  requestLink(email: string, options?: LoginContext & { actor?: string }): Promise<IssuedLink | undefined>;
  /**
   * Consumes a link and opens a session; undefined when the token is malformed, unknown, expired, already used, or
   * its user is now disabled — each failure is recorded (`auth.login_failed` with the reason). Of two concurrent
   * calls with one token, at most one gets a session.
   */
  consumeLink(token: string, context?: LoginContext): Promise<IssuedSession | undefined>;
  /** Opens a session for a user directly (e.g. after `aws_iam` authentication); `method` goes into the audit row. */
  openSession(user: User, options?: LoginContext & { method?: string }): Promise<IssuedSession>;
  /** Ends the session server-side; true when it existed. */
  logout(sessionToken: string): Promise<boolean>;
  /** Ends every session of the user (API tokens are unaffected); returns how many ended. `actor` defaults to the user. */
  logoutEverywhere(userId: string, options?: { actor?: string }): Promise<number>;
  /** Deletes expired sessions and used or expired links; returns how many rows went. */
  pruneExpired(): Promise<number>;
}

/** The repos a login transaction works on, with the audit log of that transaction. */
export interface LoginTxRepos {
  users: UserRepo;
  magicLinks: MagicLinkRepo;
  sessions: SessionRepo;
  audit: AuditLog;
}

const withIp = (data: JsonObject, ip: string | undefined): JsonObject =>
  ip === undefined ? data : { ...data, ip };

/** Why `consume` refused the link with this hash (read in the same transaction, just after). */
async function failureReason(
  links: MagicLinkRepo,
  tokenHash: string,
  now: Date,
): Promise<{ reason: LoginFailureReason; linkId?: string; userId?: string }> {
  const link = await links.findByHash(tokenHash);
  if (link === undefined) return { reason: 'unknown_link' };
  const reason: LoginFailureReason =
    link.consumedAt !== null
      ? 'link_already_used'
      : link.expiresAt.getTime() <= now.getTime()
        ? 'link_expired'
        : 'link_already_used';
  return { reason, linkId: link.id, userId: link.userId };
}

/** Creates the login service over its repos, a transaction runner (repos + audit log) and a clock. */
export function createLoginService(deps: {
  magicLinks: MagicLinkRepo;
  sessions: SessionRepo;
  transaction: InTransaction<LoginTxRepos>;
  clock: Clock;
}): LoginService {
  const { magicLinks, sessions, transaction, clock } = deps;

  async function startSession(
    repos: LoginTxRepos,
    user: User,
    now: Date,
    data: JsonObject,
  ): Promise<IssuedSession> {
    const token = randomBase64Url(32);
    const expiresAt = addMs(now, SESSION_TTL_MS);
    const id = newId('ses');
    await repos.sessions.insert({
      id,
      tokenHash: hashSecret(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    await repos.audit.append({
      at: now,
      actor: user.id,
      action: 'auth.login',
      subject: user.id,
      data: { ...data, session_id: id, session_expires_at: expiresAt.toISOString() },
    });
    return { user, token, expiresAt };
  }

  async function recordFailure(
    repos: LoginTxRepos,
    now: Date,
    failure: { reason: LoginFailureReason; linkId?: string; userId?: string },
    ip: string | undefined,
  ): Promise<undefined> {
    await repos.audit.append({
      at: now,
      actor: ANONYMOUS_ACTOR,
      action: 'auth.login_failed',
      subject: failure.userId ?? null,
      data: withIp(
        {
          method: 'magic_link',
          reason: failure.reason,
          ...(failure.linkId !== undefined ? { link_id: failure.linkId } : {}),
        },
        ip,
      ),
    });
    return undefined;
  }

  return {
    async requestLink(email, { ip, actor = ANONYMOUS_ACTOR } = {}) {
      const id = emailUserId(email);
      if (!id.ok) return undefined;
      return transaction(async (repos) => {
        const user = await repos.users.get(id.value);
        if (user === undefined || !user.enabled) return undefined;
        const token = randomBase64Url(32);
        const now = clock.now();
        const expiresAt = addMs(now, MAGIC_LINK_TTL_MS);
        const linkId = newId('mlk');
        await repos.magicLinks.insert({
          id: linkId,
          tokenHash: hashSecret(token),
          userId: user.id,
          createdAt: now,
          expiresAt,
          consumedAt: null,
        });
        await repos.audit.append({
          at: now,
          actor,
          action: 'auth.link_requested',
          subject: user.id,
          data: withIp({ link_id: linkId, expires_at: expiresAt.toISOString() }, ip),
        });
        return { userId: user.id, email: user.id.slice('email:'.length), token, expiresAt };
      });
    },

    async consumeLink(token, { ip } = {}) {
      const now = clock.now();
      if (!/^[A-Za-z0-9_-]{43}$/.test(token))
        return transaction((repos) => recordFailure(repos, now, { reason: 'malformed_link' }, ip));
      const tokenHash = hashSecret(token);
      return transaction(async (repos) => {
        const userId = await repos.magicLinks.consume(tokenHash, now);
        if (userId === undefined)
          return recordFailure(repos, now, await failureReason(repos.magicLinks, tokenHash, now), ip);
        const link = await repos.magicLinks.findByHash(tokenHash);
        const linkId = link?.id;
        const user = await repos.users.get(userId);
        if (user === undefined || !user.enabled)
          return recordFailure(
            repos,
            now,
            { reason: 'user_disabled', userId, ...(linkId !== undefined ? { linkId } : {}) },
            ip,
          );
        return startSession(
          repos,
          user,
          now,
          withIp({ method: 'magic_link', ...(linkId !== undefined ? { link_id: linkId } : {}) }, ip),
        );
      });
    },

    openSession: (user, { ip, method = 'direct' } = {}) =>
      transaction((repos) => startSession(repos, user, clock.now(), withIp({ method }, ip))),

    logout: (sessionToken) =>
      transaction(async (repos) => {
        const session = await repos.sessions.takeByHash(hashSecret(sessionToken));
        if (session === undefined) return false;
        await repos.audit.append({
          at: clock.now(),
          actor: session.userId,
          action: 'auth.logout',
          subject: session.userId,
          data: { session_id: session.id },
        });
        return true;
      }),

    logoutEverywhere: (userId, { actor = userId } = {}) =>
      transaction(async (repos) => {
        const ended = await repos.sessions.deleteForUser(userId);
        await repos.audit.append({
          at: clock.now(),
          actor,
          action: 'auth.logout',
          subject: userId,
          data: { everywhere: true, sessions_ended: ended },
        });
        return ended;
      }),

    async pruneExpired() {
      const now = clock.now();
      return (await sessions.deleteExpired(now)) + (await magicLinks.deleteExpired(now));
    },
  };
}
