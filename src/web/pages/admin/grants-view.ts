/** How the grants page arranges grants: by account, soonest end first, with the time left in words. */
import type { Grant } from '../../../grants/grant.ts';

/** A grant ending within this many milliseconds is "expiring soon" (the 15-minute warning's neighbourhood). */
export const EXPIRING_SOON_MS = 60 * 60 * 1000;

/** One account's grants on the page. */
export interface AccountGrants {
  readonly accountId: string;
  /** The account's name, or its id when the account is unknown (deleted). */
  readonly accountName: string;
  /** Soonest `notAfter` first. */
  readonly grants: readonly Grant[];
}

/** True when the grant is live and ends within `EXPIRING_SOON_MS` of `now`. */
export function isExpiringSoon(grant: Pick<Grant, 'status' | 'notAfter'>, now: Date): boolean {
  const left = grant.notAfter.getTime() - now.getTime();
  return (grant.status === 'active' || grant.status === 'pending') && left <= EXPIRING_SOON_MS;
}

/** Groups grants by account (ordered by account name, then id), each group soonest end first. */
export function groupByAccount(
  grants: readonly Grant[],
  accountNames: ReadonlyMap<string, string>,
): AccountGrants[] {
  const groups = new Map<string, Grant[]>();
  for (const g of grants) {
    const list = groups.get(g.accountId) ?? [];
    list.push(g);
    groups.set(g.accountId, list);
  }
  return [...groups.entries()]
    .map(([accountId, list]) => ({
      accountId,
      accountName: accountNames.get(accountId) ?? accountId,
      grants: list.sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime() || a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId));
}
