import { addMs, type Clock, HOUR, MINUTE } from '../lib/clock.ts';
import { randomBase64Url } from '../lib/crypto.ts';
import { newId } from '../lib/ids.ts';
import { hashSecret } from './api-token.ts';
import type { MagicLinkRepo, SessionRepo, UserRepo } from './ports.ts';
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

/** Magic-link login and server-side sessions. No method throws for expected outcomes. */
export interface LoginService {
  /**
   * Issues a single-use link for an enabled user with this email; undefined for an unknown, disabled or malformed
   * address. Callers must answer both cases identically (and rate-limit per email and IP before calling).
   */
  requestLink(email: string): Promise<IssuedLink | undefined>;
  /**
   * Consumes a link and opens a session; undefined when the token is unknown, expired, already used, or its user is
   * now disabled. Of two concurrent calls with one token, at most one gets a session.
   */
  consumeLink(token: string): Promise<IssuedSession | undefined>;
  /** Opens a session for a user directly (e.g. after `aws_iam` authentication). */
  openSession(user: User): Promise<IssuedSession>;
  /** Ends the session server-side; true when it existed. */
  logout(sessionToken: string): Promise<boolean>;
  /** Ends every session of the user (API tokens are unaffected); returns how many ended. */
  logoutEverywhere(userId: string): Promise<number>;
  /** Deletes expired sessions and used or expired links; returns how many rows went. */
  pruneExpired(): Promise<number>;
}

/** Creates the login service over its repos and a clock. */
export function createLoginService(deps: {
  users: UserRepo;
  magicLinks: MagicLinkRepo;
  sessions: SessionRepo;
  clock: Clock;
}): LoginService {
  const { users, magicLinks, sessions, clock } = deps;

  async function openSession(user: User): Promise<IssuedSession> {
    const token = randomBase64Url(32);
    const now = clock.now();
    const expiresAt = addMs(now, SESSION_TTL_MS);
    await sessions.insert({
      id: newId('ses'),
      tokenHash: hashSecret(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    return { user, token, expiresAt };
  }

  return {
    async requestLink(email) {
      const id = emailUserId(email);
      if (!id.ok) return undefined;
      const user = await users.get(id.value);
      if (user === undefined || !user.enabled) return undefined;
      const token = randomBase64Url(32);
      const now = clock.now();
      const expiresAt = addMs(now, MAGIC_LINK_TTL_MS);
      await magicLinks.insert({
        id: newId('mlk'),
        tokenHash: hashSecret(token),
        userId: user.id,
        createdAt: now,
        expiresAt,
        consumedAt: null,
      });
      return { userId: user.id, email: user.id.slice('email:'.length), token, expiresAt };
    },

    async consumeLink(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const userId = await magicLinks.consume(hashSecret(token), clock.now());
      if (userId === undefined) return undefined;
      const user = await users.get(userId);
      if (user === undefined || !user.enabled) return undefined;
      return openSession(user);
    },

    openSession,

    logout: (sessionToken) => sessions.deleteByHash(hashSecret(sessionToken)),

    logoutEverywhere: (userId) => sessions.deleteForUser(userId),

    async pruneExpired() {
      const now = clock.now();
      return (await sessions.deleteExpired(now)) + (await magicLinks.deleteExpired(now));
    },
  };
}
