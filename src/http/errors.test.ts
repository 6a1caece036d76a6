import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { BROKER_ERROR_CODES } from '../lib/errors.ts';
import { errorResponse, HTTP_ERROR_CODES, HTTP_STATUS_BY_CODE, statusForCode } from './errors.ts';
import { locateJsonError } from './middleware/body.ts';

test('every BrokerError code and every edge code has an HTTP status in the one table', () => {
  const unmapped = [...BROKER_ERROR_CODES, ...HTTP_ERROR_CODES].filter(
    (c) => HTTP_STATUS_BY_CODE[c] === undefined,
  );
  assert.deepEqual(unmapped, []);
});

test('statuses follow the API contract; an unknown code is a 500 (a bug, not a user error)', () => {
  assert.equal(statusForCode('NotFound'), 404);
  assert.equal(statusForCode('LastAdmin'), 409);
  assert.equal(statusForCode('Unauthenticated'), 401);
  assert.equal(statusForCode('PayloadTooLarge'), 413);
  assert.equal(statusForCode('IllegalTransition'), 409);
  assert.equal(statusForCode('NoSuchCode'), 500);
});

test('locateJsonError gives offset, line and column of the first syntax error (strict JSON)', () => {
  assert.equal(locateJsonError('{"a": 1}'), undefined);
  assert.deepEqual(locateJsonError('{"a": 1,}'), {
    position: 8,
    line: 1,
    column: 9,
    problem: 'PropertyNameExpected',
  });
  const multi = locateJsonError('{\n  "a": [1, 2\n}');
  assert.equal(multi?.line, 3);
  assert.equal(multi?.column, 1);
  assert.equal(locateJsonError('{"a": 1} // note')?.problem, 'InvalidCommentToken');
  assert.equal(locateJsonError('')?.position, 0);
});

test('errorResponse: 401 always carries WWW-Authenticate; 429 with retry_after_seconds carries Retry-After', async () => {
  const app = new Hono();
  app.get('/a', (c) => errorResponse(c, 'Unauthenticated', 'not authenticated'));
  app.get('/b', (c) =>
    errorResponse(c, 'TooManyOpenRequests', 'slow down', { details: { retry_after_seconds: 60 } }),
  );
  const a = await app.request('/a');
  assert.equal(a.headers.get('www-authenticate'), 'Bearer');
  assert.deepEqual(await a.json(), { error: { code: 'Unauthenticated', message: 'not authenticated' } });
  const b = await app.request('/b');
  assert.equal(b.status, 429);
  assert.equal(b.headers.get('retry-after'), '60');
  assert.equal(b.headers.get('www-authenticate'), null);
});
