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

/** Time left until `end`: `2 h 05 min`, `12 min`, `under a minute`, or `ended`. */
export function timeLeft(end: Date, now: Date): string {
  const ms = end.getTime() - now.getTime();
  if (ms <= 0) return 'ended';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
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
