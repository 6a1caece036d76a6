// Notification delivery failures reach /metrics: a webhook receiver refuses the first two deliveries, the third is
// accepted; the failure counter says 2, by channel kind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../http/harness.ts';
import { type NotifyServer, type Receiver, startNotifyServer, startReceiver } from '../notify/harness.ts';
import { forEachDialect } from '../support/dialects.ts';
import { seedUser } from '../support/identity-fixtures.ts';
import { parseExposition, sampleValue } from './exposition.ts';

const PROD = '111122223333';

forEachDialect('delivery failure metrics', (ctx) => {
  let server: NotifyServer;
  let receiver: Receiver;
  before(async () => {
    server = await startNotifyServer(ctx.database);
    receiver = await startReceiver({ statuses: [500, 503] });
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  test('each failed webhook attempt counts once under kind="webhook"', async () => {
    const alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    const bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    const admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    const account = { id: PROD, name: 'Prod', environment: 'prod', approvers: [bob.user.id] };
    assert.equal(
      (await call(server, 'POST', '/api/v1/accounts', { token: admin.token, body: account })).status,
      201,
    );
    const hook = await call(server, 'POST', '/api/v1/webhooks', {
      token: admin.token,
      body: { url: `${receiver.url}/hook`, events: ['request.submitted'] },
    });
    assert.equal(hook.status, 201, hook.text);
    const before = parseExposition((await call(server, 'GET', '/metrics')).text);
    assert.equal(
      sampleValue(before, 'iam_jit_webhook_delivery_failures_total', { kind: 'webhook' }),
      undefined,
    );
    const submitted = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: {
        account_ids: [PROD],
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        },
        justification: 'metrics',
        duration_hours: 1,
      },
    });
    assert.equal(submitted.status, 201, submitted.text);
    const got = await receiver.waitFor(3);
    assert.deepEqual(
      got.map((r) => r.status),
      [500, 503, 200],
    );
    const samples = parseExposition((await call(server, 'GET', '/metrics')).text);
    assert.equal(sampleValue(samples, 'iam_jit_webhook_delivery_failures_total', { kind: 'webhook' }), 2);
  });
});
