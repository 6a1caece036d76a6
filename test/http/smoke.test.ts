import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { call, startTestServer, type TestServer } from './harness.ts';

forEachDialect('http smoke', (ctx) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(ctx.database);
  });
  after(async () => server.close());
  test('me', async () => {
    const alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    const r = await call(server, 'GET', '/api/v1/users/me', { token: alice.token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.user_id, 'email:alice@x.com');
  });
});
