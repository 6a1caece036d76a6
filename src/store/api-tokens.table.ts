import type { Insertable, Selectable } from 'kysely';

/** `api_tokens`: bearer tokens, stored only as the SHA-256 hex of the full `iamjit_…` text. */
export interface ApiTokensTable {
  token_hash: string;
  user_id: string;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
}
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewApiTokenRow = Insertable<ApiTokensTable>;
