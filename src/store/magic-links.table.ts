import type { Insertable, Selectable } from 'kysely';

/** `magic_links`: single-use login links, stored only as the SHA-256 hex of the token. */
export interface MagicLinksTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
}
export type MagicLinkRow = Selectable<MagicLinksTable>;
export type NewMagicLinkRow = Insertable<MagicLinksTable>;
