import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES } from '../notice.ts';
import { BAND_COLORS, breakMentions, escapeMattermost, renderMattermost } from './mattermost.ts';
import { hostileNotice, sampleNotice } from './sample-notices.ts';

test('breakMentions breaks @word mentions but leaves e-mail addresses alone', () => {
  assert.equal(
    breakMentions('@all hi (@here) alice@example.com'),
    '@\u200ball hi (@\u200bhere) alice@example.com',
  );
});

test('escapeMattermost escapes Markdown punctuation and Slack-style links', () => {
  assert.equal(escapeMattermost('*b* [x](y) <!channel>'), '\\*b\\* \\[x\\]\\(y\\) \\<\\!channel\\>');
});

for (const type of NOTICE_TYPES) {
  test(`mattermost ${type}: one attachment with fallback, colour, title link, fields, nothing undefined`, () => {
    const msg = renderMattermost(sampleNotice(type));
    assert.equal(msg.attachments.length, 1);
    const a = msg.attachments[0]!;
    assert.ok(a.fallback.length > 0);
    assert.match(a.color, /^#[0-9a-f]{6}$/);
    assert.equal(a.title_link, 'https://jit.example.com/requests/req_123');
    assert.ok(a.title.endsWith(' · req_123'));
    const titles = a.fields.map((f) => f.title);
    for (const t of ['Requester', 'Risk score', 'Duration', 'Top factors']) assert.ok(titles.includes(t), t);
    assert.equal(a.fields.find((f) => f.title === 'Top factors')?.short, false);
    assert.equal(a.fields.find((f) => f.title === 'Requester')?.short, true);
    assert.doesNotMatch(JSON.stringify(msg), /undefined|\[object Object\]|NaN/);
  });

  test(`mattermost ${type}: hostile user text cannot mention, link or format`, () => {
    const msg = renderMattermost(hostileNotice(type));
    const a = msg.attachments[0]!;
    for (const text of [a.fallback, a.text, ...a.fields.map((f) => f.value)]) {
      assert.doesNotMatch(text, /(^|[^\w])@all/, text);
      assert.ok(!text.includes('<!channel>'), text);
    }
    // the fallback is plain text (notifications); only the Markdown parts could render a link
    for (const text of [a.text, ...a.fields.map((f) => f.value)]) {
      assert.ok(!text.includes('](https://evil.example)'), text);
    }
    assert.ok(a.text.includes('\\*bold\\*'));
    assert.ok(a.text.includes('\\<script\\>'));
  });
}

test('mattermost request.submitted: colour of the risk band, exact text', () => {
  const a = renderMattermost(sampleNotice('request.submitted')).attachments[0]!;
  assert.equal(a.color, BAND_COLORS.high);
  assert.equal(a.title, 'Access request awaiting approval · req_123');
  assert.equal(
    a.text,
    'alice@example\\.com requests read\\_only access to Production \\(111122223333\\) for 2 h. Risk 7/10 \\(high\\).\n\n**Justification:** Investigate INC\\-7 failing exports',
  );
  assert.equal(
    a.fallback,
    'Access request awaiting approval: alice@example.com requests read_only access to Production (111122223333) for 2 h. Risk 7/10 (high).',
  );
});

test('mattermost: colour follows the band, unknown bands are grey', () => {
  const n = sampleNotice('request.submitted');
  const colour = (band: string) =>
    renderMattermost({ ...n, request: { ...n.request, risk: { ...n.request.risk, band } } }).attachments[0]!
      .color;
  assert.equal(colour('low'), '#2eb886');
  assert.equal(colour('critical'), '#d40e0d');
  assert.equal(colour('weird'), '#8c8c8c');
});

test('mattermost request.changes_requested: the comment is in the text', () => {
  const a = renderMattermost(sampleNotice('request.changes_requested')).attachments[0]!;
  assert.ok(a.text.endsWith('**Requested changes:** Scope it to the reports bucket only'));
});

test('mattermost request.break_glass is loud: @here, critical colour', () => {
  const msg = renderMattermost(sampleNotice('request.break_glass'));
  assert.equal(msg.text, '@here');
  assert.equal(msg.attachments[0]?.pretext, '@here Break-glass access was used.');
  assert.equal(msg.attachments[0]?.color, BAND_COLORS.critical);
  assert.equal(renderMattermost(sampleNotice('request.approved')).text, undefined);
});
