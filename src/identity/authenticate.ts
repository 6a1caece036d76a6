import type { Clock } from '../lib/clock.ts';
import { err, ok, type Result } from '../lib/result.ts';
import { hashSecret, isApiTokenFormat } from './api-token.ts';
import { normalizePrincipalArn } from './iam-arn.ts';
import type { ApiTokenRepo, SessionRepo, UserRepo } from './ports.ts';
import { hasRole, type Role, type User } from './user.ts';

/** Why a caller was refused: 401 (who are you?) or 403 (you may not), with the exact texts of DESIGN.md §7. */
export type AuthFailure =
  | {
      readonly status: 401;
      readonly message: 'not authenticated' | 'invalid bearer token format' | 'bearer token not found';
    }
  | {
      readonly status: 403;
      readonly message:
        | 'user is no longer in the iam-jit user list'
        | 'user is disabled'
        | `${Role} role required`;
    };

/** How the caller authenticated, for audit and for CSRF rules (cookies need an Origin check; bearer does not). */
export const AUTH_METHODS = ['api_token', 'session', 'aws_iam'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** An authenticated, enabled user. */
export interface Principal {
  readonly user: User;
  readonly method: AuthMethod;
  /** The token hash (api_token) or session id (session); undefined for aws_iam. */
  readonly credentialId?: string;
}

/** What the edge extracted from the request. */
export interface Credentials {
  /** The raw `Authorization` header, if any. */
  readonly authorization?: string | null;
  /** The session cookie value, if any. */
  readonly sessionToken?: string | null;
}

/** Authentication over tokens and sessions. Never throws for a refused caller: failures are values. */
export interface Authenticator {
  /**
   * A bearer `Authorization` header wins over a cookie. Failure texts: none given → `not authenticated`; a header
   * that is not `Bearer iamjit_<43 base64url>` → `invalid bearer token format`; unknown token → `bearer token not
   * found`; unknown or expired session → `not authenticated`; owner disabled → `user is disabled`.
   */
  authenticate(credentials: Credentials): Promise<Result<Principal, AuthFailure>>;
  /**
   * Looks up the iam-jit user for an AWS principal ARN already verified via `sts:GetCallerIdentity`
   * (assumed-role ARNs are normalised to the role). Unknown → `user is no longer in the iam-jit user list`.
   */
  authenticateAwsPrincipal(arn: string): Promise<Result<Principal, AuthFailure>>;
}

/** Token `last_used_at` is written at most once a minute per token, so reads do not become writes. */
const TOUCH_INTERVAL_MS = 60_000;

/** `<role> role required` unless the principal holds the role (admins hold every role). */
export function requireRole(principal: Principal, role: Role): Result<Principal, AuthFailure> {
  return hasRole(principal.user, role)
    ? ok(principal)
    : err({ status: 403, message: `${role} role required` });
}

function checkEnabled(
  user: User | undefined,
  principal: Omit<Principal, 'user'>,
): Result<Principal, AuthFailure> {
  if (user === undefined) return err({ status: 403, message: 'user is no longer in the iam-jit user list' });
  if (!user.enabled) return err({ status: 403, message: 'user is disabled' });
  return ok({ ...principal, user });
}

/** Creates the authenticator over its repos and a clock. */
export function createAuthenticator(deps: {
  users: UserRepo;
  tokens: ApiTokenRepo;
  sessions: SessionRepo;
  clock: Clock;
}): Authenticator {
  const { users, tokens, sessions, clock } = deps;
  return {
    async authenticate({ authorization, sessionToken }) {
      if (authorization !== undefined && authorization !== null && authorization.trim() !== '') {
        const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
        const token = m?.[1];
        if (token === undefined || !isApiTokenFormat(token))
          return err({ status: 401, message: 'invalid bearer token format' });
        const tokenHash = hashSecret(token);
        const found = await tokens.findWithUser(tokenHash);
        if (found === undefined) return err({ status: 401, message: 'bearer token not found' });
        const result = checkEnabled(found.user, { method: 'api_token', credentialId: tokenHash });
        const now = clock.now();
        const last = found.token.lastUsedAt;
        // Skip the write entirely when recent: on SQLite even a no-op UPDATE takes the single write lock.
        if (result.ok && (last === null || now.getTime() - last.getTime() >= TOUCH_INTERVAL_MS))
          await tokens.touch(tokenHash, now, TOUCH_INTERVAL_MS);
        return result;
      }
      if (sessionToken !== undefined && sessionToken !== null && sessionToken !== '') {
        const found = await sessions.findActiveWithUser(hashSecret(sessionToken), clock.now());
        if (found === undefined) return err({ status: 401, message: 'not authenticated' });
        return checkEnabled(found.user, { method: 'session', credentialId: found.session.id });
      }
      return err({ status: 401, message: 'not authenticated' });
    },

    async authenticateAwsPrincipal(arn) {
      const normalised = normalizePrincipalArn(arn);
      if (!normalised.ok) return err({ status: 403, message: 'user is no longer in the iam-jit user list' });
      return checkEnabled(await users.get(`iam:${normalised.value}`), { method: 'aws_iam' });
    },
  };
}
