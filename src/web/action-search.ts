/** The action picker's search over the IAM catalog: matches grouped by access level. Pure. */
import { getIamCatalog, type IamCatalog } from '../policy/iam-catalog.ts';
import { ACCESS_LEVELS, type AccessLevel } from '../policy/types.ts';

/** One access level's matching actions. */
export interface ActionGroup {
  readonly level: AccessLevel;
  readonly actions: readonly { readonly id: string; readonly description: string }[];
}

/**
 * Actions whose `service:Action` id contains every word of `query` (case-insensitive; `s3 getobj` and `s3:GetObj`
 * both match `s3:GetObject`), those starting with the query first, then shorter ids, at most `limit`, grouped in IAM's access-level
 * order (List, Read, Tagging, Write, Permissions management). Fewer than 2 characters: no groups.
 */
export function searchActions(
  query: string,
  { limit = 40, catalog = getIamCatalog() }: { limit?: number; catalog?: IamCatalog } = {},
): ActionGroup[] {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return [];
  const words = q.split(/[\s:]+/).filter((w) => w !== '');
  const prefix = q.replace(/\s+/g, ':');
  const matches = catalog
    .allActions()
    .filter((a) => {
      const id = a.id.toLowerCase();
      return words.every((w) => id.includes(w));
    })
    .sort((a, b) => {
      const pa = a.id.toLowerCase().startsWith(prefix) ? 0 : 1;
      const pb = b.id.toLowerCase().startsWith(prefix) ? 0 : 1;
      return pa - pb || a.id.length - b.id.length || a.id.localeCompare(b.id);
    })
    .slice(0, limit);
  return ACCESS_LEVELS.map((level) => ({
    level,
    actions: matches
      .filter((a) => a.accessLevel === level)
      .map((a) => ({ id: a.id, description: a.description })),
  })).filter((g) => g.actions.length > 0);
}
