import type { Insertable, Selectable } from 'kysely';

/** `sessions`: browser sessions; the cookie value is never stored, only its SHA-256 hex. */
export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}
export type SessionRow = Selectable<SessionsTable>;
export type NewSessionRow = Insertable<SessionsTable>;
