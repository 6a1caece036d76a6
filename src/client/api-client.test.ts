// The API client against a stub fetch: what it sends, how answers become values or ApiErrors, and the wait loop.
// (The end-to-end suites in test/mcp/ run it against the real server.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiClient } from './api-client.ts';
import { ApiError, isApiError } from './api-error.ts';

function stub(answer: (req: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const client = createApiClient({
    baseUrl: 'http://iam-jit.test/',
    token: 'iamjit_abc',
    userAgent: 'test/1',
    fetch: async (req) => {
      seen.push(req);
      return answer(req);
    },
  });
  return { client, seen };
}

const detail = (status: string) => ({
  request: { id: 'req_1', status },
  revisions: [],
  reviews: [],
  approvals: [],
  comments: [],
  events: [],
  grants: [],
});

test('sends the bearer token, JSON body, user agent and only the defined query parameters', async () => {
  const { client, seen } = stub(() => Response.json({ requests: [], next_cursor: null }));
  await client.listRequests({ status: 'pending', mine: false, cursor: undefined });
  await client.reject('req/1', { reason: 'no' });
  const [list, reject] = seen;
  assert.equal(list?.url, 'http://iam-jit.test/api/v1/requests?status=pending&mine=false');
  assert.equal(list?.headers.get('authorization'), 'Bearer iamjit_abc');
  assert.equal(list?.headers.get('user-agent'), 'test/1');
  assert.equal(reject?.method, 'POST');
  assert.equal(reject?.url, 'http://iam-jit.test/api/v1/requests/req%2F1/reject');
  assert.equal(reject?.headers.get('content-type'), 'application/json');
  assert.deepEqual(await reject?.json(), { reason: 'no' });
});

test('an error body becomes ApiError with the status, code, message and details verbatim', async () => {
  const { client } = stub(() =>
    Response.json(
      { error: { code: 'Forbidden', message: 'approver role required', details: { x: 1 } } },
      { status: 403 },
    ),
  );
  const e = await client.approve('req_1').catch((x: unknown) => x);
  assert.ok(isApiError(e, 'Forbidden'));
  assert.equal(e.status, 403);
  assert.equal(e.message, 'approver role required');
  assert.deepEqual(e.details, { x: 1 });
});

test('a non-JSON error answer is BadResponse; an unreachable server is NetworkError (status 0)', async () => {
  const html = stub(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
  const bad = await html.client.me().catch((x: unknown) => x);
  assert.ok(bad instanceof ApiError);
  assert.equal(bad.code, 'BadResponse');
  assert.match(bad.message, /HTTP 502: <h1>Bad gateway/);
  const down = stub(() => {
    throw new TypeError('fetch failed');
  });
  const net = await down.client.me().catch((x: unknown) => x);
  assert.ok(isApiError(net, 'NetworkError'));
  assert.equal(net.status, 0);
  assert.match(net.message, /cannot reach the iam-jit server at http:\/\/iam-jit\.test/);
});

test('waitForRequest returns at the first read whose status differs, and passes through transient statuses', async () => {
  const statuses = ['pending', 'pending', 'approved', 'active'];
  const { client, seen } = stub(() =>
    Response.json(detail(statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? '')),
  );
  const first = await client.waitForRequest('req_1', { timeoutMs: 60_000, intervalMs: 0 });
  assert.equal(first.changed, true);
  assert.equal(first.detail.request.status, 'approved');
  assert.equal(seen.length, 3);

  seen.length = 0;
  const through = await client.waitForRequest('req_1', {
    timeoutMs: 60_000,
    intervalMs: 0,
    passThrough: ['approved'],
  });
  assert.equal(through.detail.request.status, 'active');
  assert.equal(seen.length, 4);
});

test('waitForRequest with no time left reads once and reports no change', async () => {
  const { client, seen } = stub(() => Response.json(detail('pending')));
  const r = await client.waitForRequest('req_1', { timeoutMs: 0 });
  assert.equal(r.changed, false);
  assert.equal(r.detail.request.status, 'pending');
  assert.equal(seen.length, 1);
});

test('a base URL given with /api/v1 means the same server', async () => {
  const seen: string[] = [];
  const client = createApiClient({
    baseUrl: 'https://jit.example.com/api/v1/',
    token: 't',
    fetch: async (req) => {
      seen.push(req.url);
      return Response.json({});
    },
  });
  await client.me();
  assert.equal(client.baseUrl, 'https://jit.example.com');
  assert.deepEqual(seen, ['https://jit.example.com/api/v1/users/me']);
});
