import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { COMMENT_MARKER, MAX_COMMENT_CHARS, pullRequestNumber, upsertPrComment } from './pr-comment.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for the GitHub REST API on 127.0.0.1 that keeps issue comments in memory. */
let server: Server;
let apiUrl = '';
const seen: Seen[] = [];
let comments: { id: number; body: string }[] = [];
let failWith = 0;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (failWith) {
        res.writeHead(failWith, { 'content-type': 'application/json' }).end('{"message":"nope"}');
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/repos/o/r/issues/7/comments')) {
        res.end(JSON.stringify(comments));
      } else if (req.method === 'POST' && req.url === '/repos/o/r/issues/7/comments') {
        const created = { id: comments.length + 100, body: (JSON.parse(body) as { body: string }).body };
        comments.push(created);
        res.writeHead(201).end(JSON.stringify(created));
      } else if (req.method === 'PATCH' && req.url?.startsWith('/repos/o/r/issues/comments/')) {
        const id = Number(req.url.split('/').pop());
        const c = comments.find((x) => x.id === id);
        if (c) c.body = (JSON.parse(body) as { body: string }).body;
        res.writeHead(c ? 200 : 404).end(JSON.stringify(c ?? {}));
      } else {
        res.writeHead(404).end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (body: string) => ({
  fetch: (url: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
    fetch(url, init),
  apiUrl,
  token: 'ghs_test',
  repository: 'o/r',
  pullRequest: 7,
  body,
});

test('pr comment: creates the comment once, then updates it in place', async () => {
  seen.length = 0;
  comments = [{ id: 1, body: 'unrelated review comment' }];
  const first = await upsertPrComment(request('score 7/10'));
  assert.deepEqual(first, { ok: true, value: 'created' });
  const second = await upsertPrComment(request('score 3/10'));
  assert.deepEqual(second, { ok: true, value: 'updated' });
  assert.equal(comments.length, 2);
  assert.equal(comments[1]?.body, `${COMMENT_MARKER}\nscore 3/10`);
  assert.deepEqual(
    seen.map((s) => `${s.method} ${s.url}`),
    [
      'GET /repos/o/r/issues/7/comments?per_page=100',
      'POST /repos/o/r/issues/7/comments',
      'GET /repos/o/r/issues/7/comments?per_page=100',
      'PATCH /repos/o/r/issues/comments/101',
    ],
  );
  // Headers from GitHub Docs, "REST API endpoints for issue comments".
  assert.equal(seen[1]?.headers.authorization, 'Bearer ghs_test');
  assert.equal(seen[1]?.headers.accept, 'application/vnd.github+json');
  assert.equal(seen[1]?.headers['x-github-api-version'], '2022-11-28');
});

test('pr comment: a body over the comment size limit is truncated with a note', async () => {
  comments = [];
  const r = await upsertPrComment(request('x'.repeat(MAX_COMMENT_CHARS + 500)));
  assert.deepEqual(r, { ok: true, value: 'created' });
  const body = comments[0]?.body ?? '';
  assert.ok(body.length < 65_536, String(body.length));
  assert.match(body, /_Report truncated; the job summary has all of it\._\n$/);
});

test('pr comment: an API error is returned as a reason, not thrown', async () => {
  failWith = 403;
  try {
    const r = await upsertPrComment(request('x'));
    assert.deepEqual(r, { ok: false, error: 'listing comments failed: HTTP 403' });
  } finally {
    failWith = 0;
  }
  const unreachable = await upsertPrComment({ ...request('x'), apiUrl: 'http://127.0.0.1:1' });
  assert.ok(!unreachable.ok && unreachable.error.startsWith('GitHub API unreachable'));
});

test('pr comment: the pull request number comes from pull_request or PR issue_comment events', () => {
  assert.equal(pullRequestNumber({ pull_request: { number: 12 } }), 12);
  assert.equal(pullRequestNumber({ issue: { number: 5, pull_request: { url: 'x' } } }), 5);
  assert.equal(pullRequestNumber({ issue: { number: 5 } }), undefined);
  assert.equal(pullRequestNumber({ ref: 'refs/heads/main' }), undefined);
  assert.equal(pullRequestNumber(undefined), undefined);
});
