// Signed webhooks end to end over real sockets on both dialects: subscriptions (secret once, admin only, SSRF
// refusals), submit → approve delivering signed `request.submitted` / `request.approved`, retries with the delivery
// log, no duplicate after success, a restart mid-retry losing nothing, and dead-lettering with its alert.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { verifySignature } from '../../src/notify/signature.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createJobQueue } from '../../src/store/jobs-repo.ts';
import { call, type Loose, list } from '../http/harness.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { eventually, type NotifyServer, type Receiver, startNotifyServer, startReceiver } from './harness.ts';

const PROD = '111122223333';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }],
};

forEachDialect('webhooks', (ctx) => {
  let server: NotifyServer;
  let receiver: Receiver;
  const u: Record<'alice' | 'bob' | 'admin', SeededUser> = {} as never;

  before(async () => {
    server = await startNotifyServer(ctx.database);
  });
  beforeEach(async () => {
    await ctx.reset();
    u.alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    u.bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    u.admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    const account = { id: PROD, name: 'Prod', environment: 'prod', approvers: [u.bob.user.id] };
    const created = await call(server, 'POST', '/api/v1/accounts', { token: u.admin.token, body: account });
    assert.equal(created.status, 201, created.text);
  });
  after(async () => {
    await server.close();
    await receiver?.close();
  });

  async function subscribe(url: string, events: string[] = ['*']): Promise<{ id: string; secret: string }> {
    const r = await call(server, 'POST', '/api/v1/webhooks', {
      token: u.admin.token,
      body: { url, events, description: 'test receiver' },
    });
    assert.equal(r.status, 201, r.text);
    return { id: String(r.body.id), secret: String(r.body.secret) };
  }
  async function submit(body: Record<string, unknown> = {}): Promise<string> {
    const r = await call(server, 'POST', '/api/v1/requests', {
      token: u.alice.token,
      body: {
        account_ids: [PROD],
        policy: POLICY,
        justification: 'debug orders',
        duration_hours: 1,
        ...body,
      },
    });
    assert.equal(r.status, 201, r.text);
    return String(r.body.request?.id);
  }
  const parsed = (r: { body: string }) => JSON.parse(r.body) as Loose;

  test('submit → approve delivers signed request.submitted and request.approved with stable event ids', async () => {
    receiver = await startReceiver();
    const { secret } = await subscribe(`${receiver.url}/hook`);
    const id = await submit();
    const approved = await call(server, 'POST', `/api/v1/requests/${id}/approve`, {
      token: u.bob.token,
      body: { comment: 'lgtm' },
    });
    assert.equal(approved.status, 200, approved.text);
    const got = await receiver.waitFor(2);
    assert.deepEqual(
      got.map((r) => parsed(r).type),
      ['request.submitted', 'request.approved'],
    );
    const audit = await createAuditReader(ctx.database.db).list({ subject: id }, 0, 10);
    const seqOf = (action: string) => audit.find((e) => e.action === action)?.seq;
    for (const [r, action] of [
      [got[0], 'request.submitted'],
      [got[1], 'request.approved'],
    ] as const) {
      assert.ok(r);
      const body = parsed(r);
      assert.equal(r.path, '/hook');
      assert.equal(body.id, `evt_${seqOf(action)}`);
      assert.equal(r.headers['x-iam-jit-event-id'], body.id);
      assert.equal(r.headers['x-iam-jit-event'], action);
      assert.equal(r.headers['content-type'], 'application/json');
      const signature = String(r.headers['x-iam-jit-signature']);
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(
        verifySignature(secret, r.body, signature),
        'signature verifies with the subscription secret',
      );
      assert.ok(!verifySignature(`${secret}x`, r.body, signature), 'and not with another secret');
      assert.equal(body.data?.request?.id, id);
      assert.equal(body.link, `${server.url}/requests/${id}`);
    }
    assert.equal(parsed(got[1] as { body: string }).message, 'lgtm');
    assert.equal(parsed(got[1] as { body: string }).actor?.id, u.bob.user.id);
    assert.ok(!receiver.received.some((r) => r.body.includes(secret)), 'the secret never travels');
    await receiver.close();
  });

  test('the secret is returned once (create, rotate), never by reads; rotation re-signs with the new one', async () => {
    receiver = await startReceiver();
    const { id, secret } = await subscribe(receiver.url, ['request.submitted']);
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const read = await call(server, 'GET', `/api/v1/webhooks/${id}`, { token: u.admin.token });
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined);
    assert.ok(!read.text.includes(secret));
    const listed = await call(server, 'GET', '/api/v1/webhooks', { token: u.admin.token });
    assert.deepEqual(
      list(listed.body.webhooks).map((w) => [w.id, w.events, w.secret]),
      [[id, ['request.submitted'], undefined]],
    );
    assert.ok(!listed.text.includes('whsec_'));
    const rotated = await call(server, 'POST', `/api/v1/webhooks/${id}/rotate-secret`, {
      token: u.admin.token,
    });
    assert.equal(rotated.status, 200);
    const fresh = String(rotated.body.secret);
    assert.notEqual(fresh, secret);
    await submit();
    const [got] = await receiver.waitFor(1);
    assert.ok(got);
    const signature = String(got.headers['x-iam-jit-signature']);
    assert.ok(verifySignature(fresh, got.body, signature));
    assert.ok(!verifySignature(secret, got.body, signature));
    // Stored sealed: the plaintext is nowhere in the table.
    const row = await ctx.database.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(fresh) && row.secret_sealed.startsWith('v1.'));
    const audit = await createAuditReader(ctx.database.db).list({ subject: id }, 0, 10);
    assert.deepEqual(
      audit.map((e) => e.action),
      ['webhook.created', 'webhook.secret_rotated'],
    );
    assert.ok(!audit.some((e) => e.data.includes('whsec_')));
    await receiver.close();
  });

  test('PATCH re-checks the URL and changes the filter; a disabled subscription gets nothing; DELETE removes it', async () => {
    receiver = await startReceiver();
    const { id } = await subscribe(receiver.url, ['request.submitted']);
    const patch = (body: unknown) =>
      call(server, 'PATCH', `/api/v1/webhooks/${id}`, { token: u.admin.token, body });
    const refused = await patch({ url: 'http://10.0.0.9/hook' });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.error?.message), /^url: refused: 10\.0\.0\.9 is a private address/);
    const changed = await patch({ events: ['request.approved', 'request.submitted'], description: 'both' });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.body.events, ['request.approved', 'request.submitted']);
    assert.equal(changed.body.url, receiver.url);
    assert.equal((await patch({ events: ['request.nope'] })).status, 400);
    assert.equal((await patch({ enabled: false })).body.enabled, false);
    await submit();
    await eventually(async () => {
      const open = await ctx.database.db
        .selectFrom('jobs')
        .select('id')
        .where('type', '=', 'notify.dispatch')
        .where('status', '!=', 'succeeded')
        .execute();
      return open.length === 0 ? true : undefined;
    });
    const rows = await ctx.database.db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('subscription_id', '=', id)
      .execute();
    assert.deepEqual(rows, []);
    assert.equal(receiver.received.length, 0);
    assert.equal(
      (await call(server, 'DELETE', `/api/v1/webhooks/${id}`, { token: u.admin.token })).status,
      204,
    );
    const gone = await call(server, 'GET', `/api/v1/webhooks/${id}`, { token: u.admin.token });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error?.code, 'NotFound');
    const audit = await createAuditReader(ctx.database.db).list({ subject: id }, 0, 10);
    assert.deepEqual(
      audit.map((e) => e.action),
      ['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.deleted'],
    );
    await receiver.close();
  });

  test('a secret sealed under another key (IAM_JIT_SECRET_KEY changed) dead-letters the delivery with a clear alert', async () => {
    receiver = await startReceiver();
    const { id } = await subscribe(receiver.url);
    await ctx.database.db
      .updateTable('webhook_subscriptions')
      .set({ secret_sealed: 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' })
      .where('id', '=', id)
      .execute();
    assert.equal(
      (await call(server, 'POST', `/api/v1/webhooks/${id}/test`, { token: u.admin.token })).status,
      202,
    );
    const alert = await eventually(async () => {
      const events = await createAuditReader(ctx.database.db).list(
        { action: 'alert.notification_dead' },
        0,
        10,
      );
      return events[0];
    });
    assert.equal(alert.subject, id);
    assert.match(alert.data, /the webhook secret cannot be decrypted: was IAM_JIT_SECRET_KEY changed\?/);
    assert.equal(receiver.received.length, 0);
    await receiver.close();
  });

  test('non-admins get 403 admin role required on every webhook route', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/webhooks'],
      ['GET', '/api/v1/webhooks'],
      ['GET', '/api/v1/webhooks/whk_x'],
      ['PATCH', '/api/v1/webhooks/whk_x'],
      ['DELETE', '/api/v1/webhooks/whk_x'],
      ['POST', '/api/v1/webhooks/whk_x/rotate-secret'],
      ['POST', '/api/v1/webhooks/whk_x/test'],
      ['GET', '/api/v1/webhooks/whk_x/deliveries'],
    ] as const) {
      const r = await call(server, method, path, {
        token: u.bob.token,
        ...(method === 'POST' || method === 'PATCH' ? { body: { url: 'http://127.0.0.1:1/' } } : {}),
      });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.body.error?.message, 'admin role required');
    }
  });

  test('SSRF: private, link-local, loopback (v6 and v4-mapped) and non-http targets are refused with 400', async () => {
    for (const [url, reason] of [
      ['http://10.0.0.5/hook', /10\.0\.0\.5 is a private address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      ['http://[::1]:8080/hook', /::1 is a loopback address/],
      ['http://[::ffff:127.0.0.2]/hook', /is a loopback address/],
      ['http://[fd00::1]/hook', /unique-local/],
      ['http://0.0.0.0:80/', /unspecified/],
      ['ftp://example.com/x', /only http:\/\/ and https:\/\//],
    ] as const) {
      const r = await call(server, 'POST', '/api/v1/webhooks', { token: u.admin.token, body: { url } });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.error?.code, 'InvalidInput');
      assert.match(String(r.body.error?.message), reason, url);
    }
    const listed = await call(server, 'GET', '/api/v1/webhooks', { token: u.admin.token });
    assert.deepEqual(listed.body.webhooks, []);
  });

  test('fails twice, third attempt accepted: the delivery log shows 500, 503, 200 and nothing is sent again', async () => {
    receiver = await startReceiver({ statuses: [500, 503] });
    const { id: hook, secret } = await subscribe(receiver.url, ['request.submitted']);
    await submit();
    const got = await receiver.waitFor(3);
    assert.deepEqual(
      got.map((r) => r.status),
      [500, 503, 200],
    );
    const ids = new Set(got.map((r) => parsed(r).id));
    assert.equal(ids.size, 1, 'every attempt carries the same event id');
    assert.ok(got.every((r) => verifySignature(secret, r.body, String(r.headers['x-iam-jit-signature']))));
    const log = await eventually(async () => {
      const r = await call(server, 'GET', `/api/v1/webhooks/${hook}/deliveries`, { token: u.admin.token });
      const d = list(r.body.deliveries)[0];
      return String(d?.status) === 'delivered' ? d : undefined;
    });
    assert.equal(log.attempts, 3);
    assert.deepEqual(
      list(log.attempt_log).map((a) => [a.attempt, a.status_code, a.error]),
      [
        [1, 500, 'HTTP 500'],
        [2, 503, 'HTTP 503'],
        [3, 200, null],
      ],
    );
    assert.equal(log.event_type, 'request.submitted');
    assert.ok(!JSON.stringify(log).includes(secret));
    // No duplicate after success: no deliver job is left to run, and the dispatch job is done.
    const pending = await ctx.database.db
      .selectFrom('jobs')
      .select(['type', 'status'])
      .where('type', 'like', 'notify.%')
      .where('status', '!=', 'succeeded')
      .execute();
    assert.deepEqual(pending, []);
    assert.equal(receiver.received.length, 3);
    const metrics = await call(server, 'GET', '/metrics');
    assert.match(metrics.text, /^iam_jit_webhook_delivery_failures_total\{kind="webhook"\} 2$/m);
    await receiver.close();
  });

  test('a restart mid-retry loses nothing: the retry scheduled by one process is delivered by the next', async () => {
    await server.close();
    receiver = await startReceiver({ statuses: [502] });
    // A backoff of an hour: the retry is still pending when the first process goes away.
    server = await startNotifyServer(ctx.database, {
      notify: { deliveryBackoff: { baseMs: 3_600_000, capMs: 3_600_000 } },
    });
    const { id: hook } = await subscribe(receiver.url, ['request.submitted']);
    await submit();
    await receiver.waitFor(1);
    const job = await eventually(async () => {
      const row = await ctx.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('type', '=', 'notify.deliver')
        .executeTakeFirst();
      return row?.status === 'pending' && row.attempts === 1 ? row : undefined;
    });
    await server.close();
    // Time passes while no process runs: the durable retry becomes due.
    assert.ok(
      await createJobQueue(ctx.database.db, { clock: { now: () => new Date() } }).reschedule(
        { id: job.id },
        new Date(),
      ),
    );
    server = await startNotifyServer(ctx.database);
    const got = await receiver.waitFor(2);
    assert.deepEqual(
      got.map((r) => [r.status, parsed(r).id]),
      [
        [502, parsed(got[0] as { body: string }).id],
        [200, parsed(got[0] as { body: string }).id],
      ],
    );
    const log = await eventually(async () => {
      const r = await call(server, 'GET', `/api/v1/webhooks/${hook}/deliveries`, { token: u.admin.token });
      const d = list(r.body.deliveries)[0];
      return String(d?.status) === 'delivered' ? d : undefined;
    });
    assert.deepEqual(
      list(log.attempt_log).map((a) => a.status_code),
      [502, 200],
    );
    await receiver.close();
  });

  test('ping via POST /webhooks/{id}/test is signed; callback URLs are guarded at submission and at delivery', async () => {
    receiver = await startReceiver();
    const { id: hook, secret } = await subscribe(receiver.url, ['grant.expired']);
    const test = await call(server, 'POST', `/api/v1/webhooks/${hook}/test`, { token: u.admin.token });
    assert.equal(test.status, 202, test.text);
    const [ping] = await receiver.waitFor(1);
    assert.ok(ping);
    const body = parsed(ping);
    assert.equal(body.type, 'ping');
    assert.equal(body.webhook_id, hook);
    assert.match(String(body.id), /^evt_ping_/);
    assert.ok(verifySignature(secret, ping.body, String(ping.headers['x-iam-jit-signature'])));

    // A callback URL is checked at submission (400)…
    const refused = await call(server, 'POST', '/api/v1/requests', {
      token: u.alice.token,
      body: {
        account_ids: [PROD],
        policy: POLICY,
        justification: 'x',
        duration_hours: 1,
        callback_url: 'http://169.254.169.254/latest',
      },
    });
    assert.equal(refused.status, 400);
    assert.match(
      String(refused.body.error?.message),
      /^callback_url: refused: 169\.254\.169\.254 is a link-local/,
    );
    // A requester learns that a name is refused, never what it resolves to (no map of the internal DNS).
    const byName = await call(server, 'POST', '/api/v1/requests', {
      token: u.alice.token,
      body: {
        account_ids: [PROD],
        policy: POLICY,
        justification: 'x',
        duration_hours: 1,
        callback_url: 'http://no-such-host.invalid/cb',
      },
    });
    assert.equal(byName.status, 400);
    assert.equal(
      byName.body.error?.message,
      'callback_url: refused: no-such-host.invalid does not resolve to a public address',
    );
    // …and again at delivery: a target that became private (DNS change) is refused, dead-lettered and alerted.
    const id = await submit({ callback_url: `${receiver.url}/callback` });
    const [cb] = await receiver.waitFor(1, (r) => r.path === '/callback');
    assert.equal(parsed(cb as { body: string }).type, 'request.submitted');
    assert.equal(cb?.headers['x-iam-jit-signature'], undefined, 'no IAM_JIT_CALLBACK_SECRET: unsigned');
    await ctx.database.db
      .updateTable('requests')
      .set({ callback_url: 'http://10.1.2.3/callback' })
      .where('id', '=', id)
      .execute();
    assert.equal(
      (
        await call(server, 'POST', `/api/v1/requests/${id}/comments`, {
          token: u.alice.token,
          body: { body: 'hi' },
        })
      ).status,
      201,
    );
    const alert = await eventually(async () => {
      const events = await createAuditReader(ctx.database.db).list(
        { action: 'alert.notification_dead' },
        0,
        10,
      );
      return events[0];
    });
    const data = JSON.parse(alert.data) as Record<string, unknown>;
    assert.equal(data.channel, 'callback');
    assert.equal(data.event_type, 'request.commented');
    assert.match(String(data.error), /10\.1\.2\.3 is a private address/);
    const rows = await ctx.database.db
      .selectFrom('notification_deliveries')
      .select(['event_type', 'status'])
      .where('channel', '=', 'callback')
      .orderBy('created_at')
      .execute();
    assert.deepEqual(rows, [
      { event_type: 'request.submitted', status: 'delivered' },
      { event_type: 'request.commented', status: 'dead' },
    ]);
    await receiver.close();
  });
});
