import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAND_COLOURS, countsByScore, niceScale, renderRiskChart } from './risk-chart.ts';

interface Bar {
  score: number;
  count: number;
  y: number;
  height: number;
  fill: string;
  tooltip: string;
}

function bars(svg: string): Bar[] {
  return [
    ...svg.matchAll(
      /<rect class="risk-bar" data-score="(\d+)" data-count="(\d+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title><\/rect>/g,
    ),
  ].map((m) => ({
    score: Number(m[1]),
    count: Number(m[2]),
    y: Number(m[3]),
    height: Number(m[4]),
    fill: m[5] ?? '',
    tooltip: m[6] ?? '',
  }));
}

/** Relative luminance contrast against white (WCAG 2.x formula). */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (l + 0.05);
}

const SAMPLE = [
  { score: 1, count: 4 },
  { score: 2, count: 8 },
  { score: 5, count: 2 },
  { score: 7, count: 6 },
  { score: 10, count: 1 },
];

test('risk chart: exactly one bar per score 1-10, in order, zeros included', () => {
  const drawn = bars(renderRiskChart(SAMPLE));
  assert.deepEqual(
    drawn.map((b) => b.score),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(
    drawn.map((b) => b.count),
    [4, 8, 0, 0, 2, 0, 6, 0, 0, 1],
  );
  for (const zero of drawn.filter((b) => b.count === 0)) assert.equal(zero.height, 0);
});

test('risk chart: bar heights are proportional to the counts on one baseline', () => {
  const drawn = bars(renderRiskChart(SAMPLE));
  const ratios = drawn.filter((b) => b.count > 0).map((b) => b.height / b.count);
  for (const r of ratios) assert.ok(Math.abs(r - (ratios[0] ?? 0)) < 0.01, `ratio ${r} vs ${ratios[0]}`);
  const baselines = new Set(drawn.map((b) => Math.round((b.y + b.height) * 10) / 10));
  assert.equal(baselines.size, 1);
  const tallest = drawn.find((b) => b.count === 8);
  assert.ok(tallest !== undefined && tallest.height > 0);
  assert.ok(drawn.every((b) => b.height <= (tallest?.height ?? 0)));
});

test('risk chart: every count and score is written as text, and the description lists them all', () => {
  const svg = renderRiskChart(SAMPLE, { unit: 'requests' });
  const counts = [...svg.matchAll(/<text class="risk-count"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
  assert.deepEqual(counts, [4, 8, 0, 0, 2, 0, 6, 0, 0, 1]);
  const scores = [...svg.matchAll(/<text class="risk-score"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
  assert.deepEqual(scores, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.match(
    svg,
    /<desc id="risk-chart-desc">score 1: 4, score 2: 8, score 3: 0, .*score 10: 1; 21 requests in all\.<\/desc>/,
  );
});

test('risk chart: accessible image with a title and description, no script or external reference', () => {
  const svg = renderRiskChart(SAMPLE, { title: 'Requests by risk', id: 'r1' });
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="r1-title r1-desc"/);
  assert.match(svg, /<title id="r1-title">Requests by risk<\/title><desc id="r1-desc">/);
  assert.doesNotMatch(svg, /<script|on[a-z]+=|href|url\(|<foreignObject|<image/i);
});

test('risk chart: bars are coloured by band, each colour with at least 4.5:1 contrast on white', () => {
  const drawn = bars(renderRiskChart(SAMPLE));
  assert.deepEqual(
    drawn.map((b) => b.fill),
    [
      ...Array(4).fill(BAND_COLOURS.low),
      ...Array(2).fill(BAND_COLOURS.medium),
      ...Array(2).fill(BAND_COLOURS.high),
      ...Array(2).fill(BAND_COLOURS.critical),
    ],
  );
  assert.equal(drawn[8]?.tooltip, 'Score 9 (critical): 0 requests');
  for (const colour of Object.values(BAND_COLOURS))
    assert.ok(contrastOnWhite(colour) >= 4.5, `${colour}: ${contrastOnWhite(colour).toFixed(2)}`);
});

test('risk chart: caller text is escaped in the title, description and tooltips', () => {
  const svg = renderRiskChart(SAMPLE, { title: '<script>alert(1)</script>', unit: 'a"b&<c>' });
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /<title id="risk-chart-title">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  assert.match(svg, /21 a&quot;b&amp;&lt;c&gt; in all\./);
  assert.match(svg, /<title>Score 1 \(low\): 4 a&quot;b&amp;&lt;c&gt;<\/title>/);
  assert.throws(() => renderRiskChart(SAMPLE, { id: '"><script>' }), /bad element id/);
});

test('risk chart: an empty distribution draws ten zero bars on a 0-1 scale', () => {
  const drawn = bars(renderRiskChart([]));
  assert.equal(drawn.length, 10);
  assert.ok(drawn.every((b) => b.count === 0 && b.height === 0));
  assert.match(renderRiskChart([]), /0 requests in all\./);
});

test('risk chart: scores outside 1-10 are ignored, repeated scores add up, bad counts throw', () => {
  assert.deepEqual(
    countsByScore([
      { score: 0, count: 5 },
      { score: 3, count: 1 },
      { score: 3, count: 2 },
      { score: 11, count: 9 },
      { score: 2.5, count: 9 },
    ]),
    [0, 0, 3, 0, 0, 0, 0, 0, 0, 0],
  );
  assert.throws(() => countsByScore([{ score: 1, count: -1 }]), /bad count -1/);
  assert.throws(() => countsByScore([{ score: 1, count: Number.NaN }]), /bad count NaN/);
});

test('risk chart: the y scale tops out at a 1-2-5 step at or above the largest count', () => {
  assert.deepEqual(niceScale(0), { top: 1, step: 1 });
  assert.deepEqual(niceScale(4), { top: 4, step: 1 });
  assert.deepEqual(niceScale(8), { top: 8, step: 2 });
  assert.deepEqual(niceScale(21), { top: 25, step: 5 });
  assert.deepEqual(niceScale(1234), { top: 1500, step: 500 });
});
