import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTICE_TYPES } from '../notice.ts';
import { hostileNotice, sampleNotice } from './sample-notices.ts';
import { escapeSlack, renderSlack, type SlackBlock, type SlackText } from './slack.ts';

/** Every text object of a message, with the block type it sits in. */
function texts(blocks: readonly SlackBlock[]): SlackText[] {
  return blocks.flatMap((b): SlackText[] => {
    if (b.type === 'header') return [b.text];
    if (b.type === 'section') return [...(b.text ? [b.text] : []), ...(b.fields ?? [])];
    if (b.type === 'context') return [...b.elements];
    return b.elements.map((e) => e.text);
  });
}

test('escapeSlack escapes exactly &, < and >', () => {
  assert.equal(escapeSlack('a & b <!channel> > "q"'), 'a &amp; b &lt;!channel&gt; &gt; "q"');
});

for (const type of NOTICE_TYPES) {
  test(`slack ${type}: fallback text, header, fields, link button, nothing undefined`, () => {
    const msg = renderSlack(sampleNotice(type));
    assert.equal(msg.blocks[0]?.type, 'header');
    assert.ok(msg.text.length > 0);
    const fields = msg.blocks.find((b) => b.type === 'section' && b.fields !== undefined);
    assert.ok(fields?.type === 'section' && fields.fields !== undefined);
    const labels = fields.fields.map((f) => f.text.split('\n')[0]);
    for (const label of ['*Requester*', '*Risk score*', '*Duration*', '*Top factors*']) {
      assert.ok(labels.includes(label), `${label} in ${labels.join(',')}`);
    }
    assert.ok(fields.fields.length <= 10, 'Block Kit allows at most 10 fields');
    const actions = msg.blocks.find((b) => b.type === 'actions');
    assert.equal(
      actions?.type === 'actions' ? actions.elements[0]?.url : undefined,
      'https://jit.example.com/requests/req_123',
    );
    const json = JSON.stringify(msg);
    assert.doesNotMatch(json, /undefined|\[object Object\]|NaN/);
    const header = msg.blocks[0];
    assert.ok(header?.type === 'header' && header.text.text.length <= 150);
  });

  test(`slack ${type}: hostile user text cannot mention, link or format`, () => {
    const msg = renderSlack(hostileNotice(type));
    const all = [msg.text, ...texts(msg.blocks).map((t) => t.text)];
    for (const text of all) {
      assert.ok(!text.includes('<!channel>'), text);
      assert.ok(!text.includes('<@U123'), text);
      assert.ok(!text.includes('<script>'), text);
    }
    assert.ok(msg.text.includes('&lt;!channel&gt;'));
    // free text sits in plain_text objects, where *bold* and [x](…) are not formatted
    const justification = texts(msg.blocks).find((t) => t.text.startsWith('Justification: '));
    assert.equal(justification?.type, 'plain_text');
    assert.ok(justification?.text.includes('*bold* [x](https://evil.example) &amp;amp;'));
    // mrkdwn objects holding user values are verbatim: Slack does not auto-parse mentions in them
    for (const t of texts(msg.blocks)) {
      if (t.type === 'mrkdwn' && t.text.includes('example')) assert.equal(t.verbatim, true);
    }
  });
}

test('slack request.submitted: exact header, fields and primary button', () => {
  const msg = renderSlack(sampleNotice('request.submitted'));
  assert.equal(
    msg.text,
    ':hourglass_flowing_sand: Access request awaiting approval: alice@example.com requests read_only access to Production (111122223333) for 2 h. Risk 7/10 (high).',
  );
  assert.deepEqual(msg.blocks[0], {
    type: 'header',
    text: {
      type: 'plain_text',
      text: ':hourglass_flowing_sand: Access request awaiting approval',
      emoji: true,
    },
  });
  const fields = msg.blocks[2];
  assert.ok(fields?.type === 'section');
  assert.deepEqual(
    fields.fields?.map((f) => f.text),
    [
      '*Requester*\nalice@example.com',
      '*Accounts*\nProduction (111122223333)',
      '*Risk score*\n7/10 (high)',
      '*Duration*\n2 h',
      '*Top factors*\n• Reads data in S3 (+3)\n• Wildcard resource (+2)',
    ],
  );
  const actions = msg.blocks.find((b) => b.type === 'actions');
  assert.deepEqual(actions, {
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Open request', emoji: false },
        url: 'https://jit.example.com/requests/req_123',
        style: 'primary',
      },
    ],
  });
});

test('slack request.rejected: reason block, and who rejected', () => {
  const msg = renderSlack(sampleNotice('request.rejected'));
  const all = texts(msg.blocks).map((t) => t.text);
  assert.ok(all.includes('Reason: Scope it to the reports bucket only'));
  assert.ok(all.includes('*By*\nbob@example.com'));
});

test('slack grant.activated: the expiry is a field', () => {
  const all = texts(renderSlack(sampleNotice('grant.activated')).blocks).map((t) => t.text);
  assert.ok(all.includes('*Expires*\n2026-11-23 18:00 UTC'));
  assert.ok(all.includes('*Account*\nProduction (111122223333)'));
});

test('slack request.break_glass is loud: @here in the fallback and a mention block, danger button', () => {
  const msg = renderSlack(sampleNotice('request.break_glass'));
  assert.ok(msg.text.startsWith('<!here> :rotating_light: BREAK-GLASS access used: '));
  assert.ok(texts(msg.blocks).some((t) => t.type === 'mrkdwn' && t.text.startsWith('<!here>')));
  const actions = msg.blocks.find((b) => b.type === 'actions');
  assert.equal(actions?.type === 'actions' ? actions.elements[0]?.style : undefined, 'danger');
});

test('slack: other notices never mention anyone', () => {
  for (const type of NOTICE_TYPES.filter((t) => t !== 'request.break_glass')) {
    assert.ok(!JSON.stringify(renderSlack(sampleNotice(type))).includes('<!'), type);
  }
});

test('slack: a very long justification is cut below the section limit', () => {
  const n = sampleNotice('request.submitted');
  const msg = renderSlack({ ...n, request: { ...n.request, justification: '<'.repeat(5000) } });
  for (const t of texts(msg.blocks)) assert.ok(t.text.length <= 3000, `${t.text.length}`);
});
