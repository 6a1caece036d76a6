/**
 * The risk-distribution bar chart of the admin reports page: plain server-generated SVG (no script, no external
 * reference), one bar per score 1–10, coloured by risk band, with every number also written as text. Drawn at a fixed
 * 720×300 so its text stays legible; class names are prefixed `risk-` so page styles (`.score`) do not reach it.
 */
import { escapeHtml } from '../../http/html.ts';
import { bandOf } from '../../policy/risk/model.ts';

/** The scores the chart always draws, lowest first. */
export const RISK_SCORES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** Bar fill per band: each has at least 4.5:1 contrast on white (WCAG 1.4.11 asks 3:1 for graphics). */
export const BAND_COLOURS = {
  low: '#1a7f37',
  medium: '#8a5a00',
  high: '#b3470a',
  critical: '#c11f2b',
} as const;

/** One bucket of the distribution. Scores outside 1–10 are ignored; repeated scores add up. */
export interface RiskBucket {
  readonly score: number;
  readonly count: number;
}

/** Options of `renderRiskChart`. */
export interface RiskChartOptions {
  /** The chart's accessible name (its `<title>`). */
  title?: string;
  /** What is counted, plural (`requests`, `grants`); used in the description and bar tooltips. */
  unit?: string;
  /** Prefix of the element ids (`<id>-title`, `<id>-desc`); letters, digits, `-`, starting with a letter. */
  id?: string;
}

const WIDTH = 720;
const HEIGHT = 300;
const PLOT = { left: 48, right: 16, top: 24, bottom: 64 } as const;
const PLOT_W = WIDTH - PLOT.left - PLOT.right;
const PLOT_H = HEIGHT - PLOT.top - PLOT.bottom;
const SLOT = PLOT_W / RISK_SCORES.length;
const BAR_W = SLOT * 0.7;
const TEXT = '#1f2328';
const GRID = '#d0d7de';

/** Two decimals, no trailing zeros: compact and stable coordinates. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The top of the y scale and its tick step: a 1-2-5 step giving at most 5 ticks above zero, at least 1. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const base of [1, 2, 5]) {
      const step = base * magnitude;
      if (Math.ceil(max / step) <= 5) return { top: Math.ceil(max / step) * step, step };
    }
  }
}

/** Counts per score 1–10 (missing scores are 0); non-finite or negative counts are a caller bug and throw. */
export function countsByScore(buckets: readonly RiskBucket[]): number[] {
  const counts = RISK_SCORES.map(() => 0);
  for (const { score, count } of buckets) {
    if (!Number.isFinite(count) || count < 0) throw new Error(`risk chart: bad count ${count} for ${score}`);
    const i = RISK_SCORES.indexOf(score as (typeof RISK_SCORES)[number]);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + count;
  }
  return counts;
}

/**
 * The chart as an SVG string, safe to embed in HTML as is: `role="img"` named by its `<title>` and described by a
 * `<desc>` listing every count, bars whose heights are proportional to the counts (a zero is a zero-height bar
 * with its `0` label), per-bar tooltips, a band legend, and all caller text escaped. Throws on a bad id or count.
 */
export function renderRiskChart(buckets: readonly RiskBucket[], options: RiskChartOptions = {}): string {
  const { title = 'Risk distribution', unit = 'requests', id = 'risk-chart' } = options;
  if (!/^[a-zA-Z][\w-]{0,63}$/.test(id)) throw new Error(`risk chart: bad element id ${JSON.stringify(id)}`);
  const counts = countsByScore(buckets);
  const total = counts.reduce((a, b) => a + b, 0);
  const { top, step } = niceScale(Math.max(...counts));
  const baseline = PLOT.top + PLOT_H;
  const y = (value: number) => baseline - (value / top) * PLOT_H;
  const u = escapeHtml(unit);

  const parts: string[] = [];
  for (let tick = 0; tick <= top; tick += step) {
    parts.push(
      `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${n(y(tick))}" y2="${n(y(tick))}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 8}" y="${n(y(tick) + 4)}" text-anchor="end" font-size="12" fill="${TEXT}">${tick}</text>`,
    );
  }
  RISK_SCORES.forEach((score, i) => {
    const count = counts[i] ?? 0;
    const band = bandOf(score);
    const x = PLOT.left + i * SLOT + (SLOT - BAR_W) / 2;
    const h = (count / top) * PLOT_H;
    const cx = n(x + BAR_W / 2);
    parts.push(
      `<rect class="risk-bar" data-score="${score}" data-count="${count}" x="${n(x)}" y="${n(baseline - h)}" width="${n(BAR_W)}" height="${n(h)}" fill="${BAND_COLOURS[band]}"><title>Score ${score} (${band}): ${count} ${u}</title></rect>`,
      `<text class="risk-count" x="${cx}" y="${n(baseline - h - 6)}" text-anchor="middle" font-size="12" fill="${TEXT}">${count}</text>`,
      `<text class="risk-score" x="${cx}" y="${baseline + 18}" text-anchor="middle" font-size="13" font-weight="600" fill="${TEXT}">${score}</text>`,
    );
  });
  parts.push(
    `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${baseline}" y2="${baseline}" stroke="${TEXT}" stroke-width="1"/>`,
    `<text x="${PLOT.left + PLOT_W / 2}" y="${baseline + 36}" text-anchor="middle" font-size="12" fill="${TEXT}">Risk score</text>`,
  );
  const legend = (['low', 'medium', 'high', 'critical'] as const).map((band, i) => {
    const lx = PLOT.left + i * 130;
    const ly = HEIGHT - 14;
    return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${BAND_COLOURS[band]}"/><text x="${lx + 18}" y="${ly}" font-size="12" fill="${TEXT}">${band}</text>`;
  });
  const desc = `${RISK_SCORES.map((s, i) => `score ${s}: ${counts[i]}`).join(', ')}; ${total} ${unit} in all.`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="risk-chart" role="img" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(title)}</title>` +
    `<desc id="${id}-desc">${escapeHtml(desc)}</desc>` +
    parts.join('') +
    legend.join('') +
    '</svg>'
  );
}
