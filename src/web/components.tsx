/** Small presentational pieces shared by pages: badges, times, durations, countdowns. Pure. */
import type { RiskBand } from '../policy/types.ts';

/** Badge colours. */
export type BadgeKind = 'neutral' | 'info' | 'ok' | 'warn' | 'bad';

const STATUS_KIND: Readonly<Record<string, BadgeKind>> = {
  pending: 'info',
  changes_requested: 'warn',
  approved: 'ok',
  active: 'ok',
  revoking: 'warn',
  expired: 'neutral',
  revoked: 'neutral',
  rejected: 'bad',
  cancelled: 'neutral',
  timed_out: 'neutral',
  failed: 'bad',
};

/** A status word for people: `changes_requested` → `changes requested`. */
export function statusLabel(status: string): string {
  return status.replaceAll('_', ' ');
}

/** A request or grant status as a coloured badge (the word is always written out: colour is never the only cue). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${STATUS_KIND[status] ?? 'neutral'}`}>{statusLabel(status)}</span>;
}

/** A generic badge. */
export function Badge({ kind = 'neutral', children }: { kind?: BadgeKind; children: string | number }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

/** A risk score badge: `7/10 high`. */
export function RiskBadge({ score, band }: { score: number; band: RiskBand }) {
  return (
    <span class={`badge risk-${band}`} title={`risk score ${score} of 10 (${band})`}>
      {`${score}/10 ${band}`}
    </span>
  );
}

/** `2026-11-23 16:05 UTC` (minutes, UTC: the same for every viewer). */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A `<time>` element with the machine-readable instant. */
export function Time({ at }: { at: Date }) {
  return <time datetime={at.toISOString()}>{formatTime(at)}</time>;
}

/** A duration for people: `2 h 05 min`, `45 min`, `3 d 4 h`, `less than a minute`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return `${hours} h ${String(mins).padStart(2, '0')} min`;
  return `${mins} min`;
}

/** Time left until `until` as text (`1 h 05 min left`, `ended`). */
export function timeLeftText(until: Date, now: Date): string {
  const ms = until.getTime() - now.getTime();
  return ms <= 0 ? 'ended' : `${formatDuration(ms)} left`;
}

/** Server-rendered time left that app.js turns into a ticking countdown. */
export function Countdown({ until, now }: { until: Date; now: Date }) {
  return (
    <span class="countdown" data-countdown-until={until.toISOString()}>
      {timeLeftText(until, now)}
    </span>
  );
}

/** How long ago: `3 h 10 min ago`. */
export function ageText(since: Date, now: Date): string {
  return `${formatDuration(Math.max(0, now.getTime() - since.getTime()))} ago`;
}

/** A user id for people: `email:alice@x.com` → `alice@x.com`; IAM ARNs stay whole. */
export function userLabel(id: string): string {
  return id.startsWith('email:') ? id.slice('email:'.length) : id.replace(/^iam:/, '');
}
