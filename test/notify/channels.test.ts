// Email and chat notifications end to end: a real SMTP server (mails parsed with mailparser) and a local receiver
// standing in for Slack/Mattermost incoming webhooks; chat bindings managed by an account's approvers.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { call, list } from '../http/harness.ts';
import { startTestSmtp, type TestSmtp } from '../http/smtp.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { eventually, type NotifyServer, type Receiver, startNotifyServer, startReceiver } from './harness.ts';

const PROD = '111122223333';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }],
};

forEachDialect('email and chat notifications', (ctx) => {
  let server: NotifyServer;
  let smtp: TestSmtp;
  let receiver: Receiver;
  const u: Record<'alice' | 'bob' | 'carol' | 'dave' | 'admin', SeededUser> = {} as never;

  before(async () => {
    smtp = await startTestSmtp();
    receiver = await startReceiver();
    server = await startNotifyServer(ctx.database, {
      env: { IAM_JIT_SMTP_HOST: '127.0.0.1', IAM_JIT_SMTP_PORT: String(smtp.port) },
    });
  });
  beforeEach(async () => {
    await ctx.reset();
    u.alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    u.bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    u.carol = await seedUser(ctx.database, { id: 'email:carol@x.com', roles: ['requester', 'approver'] });
    u.dave = await seedUser(ctx.database, { id: 'email:dave@x.com', roles: ['approver'] });
    u.admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    const account = {
      id: PROD,
      name: 'Prod',
      environment: 'prod',
      approvers: [u.bob.user.id, u.carol.user.id],
    };
    assert.equal(
      (await call(server, 'POST', '/api/v1/accounts', { token: u.admin.token, body: account })).status,
      201,
    );
  });
  after(async () => {
    await server.close();
    await smtp.close();
    await receiver.close();
  });

  test('chat bindings: approvers of the account manage them, the URL is shown masked, changes are audited', async () => {
    const path = `/api/v1/accounts/${PROD}/chat-bindings`;
    const url = `${receiver.url}/services/T000/B000/SeCrEtToKeN`;
    const denied = await call(server, 'POST', path, { token: u.alice.token, body: { kind: 'slack', url } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error?.message, 'approver role required');
    const other = await call(server, 'POST', path, { token: u.dave.token, body: { kind: 'slack', url } });
    assert.equal(other.status, 403);
    assert.equal(other.body.error?.message, 'approver role for this account required');
    const missing = await call(server, 'GET', '/api/v1/accounts/999999999999/chat-bindings', {
      token: u.bob.token,
    });
    assert.equal(missing.status, 404);
    const refused = await call(server, 'POST', path, {
      token: u.bob.token,
      body: { kind: 'slack', url: 'https://169.254.169.254/hook' },
    });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.error?.message), /link-local/);

    const created = await call(server, 'POST', path, { token: u.bob.token, body: { kind: 'slack', url } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.url, `${receiver.url}/…oKeN`);
    assert.ok(!created.text.includes('SeCrEtToKeN'));
    const listed = await call(server, 'GET', path, { token: u.carol.token });
    assert.deepEqual(
      list(listed.body.bindings).map((b) => [b.kind, b.url, b.created_by]),
      [['slack', `${receiver.url}/…oKeN`, u.bob.user.id]],
    );
    const gone = await call(server, 'DELETE', `${path}/${created.body.id}`, { token: u.admin.token });
    assert.equal(gone.status, 204);
    assert.equal(
      (await call(server, 'DELETE', `${path}/${created.body.id}`, { token: u.bob.token })).status,
      404,
    );
    const audit = await createAuditReader(ctx.database.db).list({ subject: PROD }, 0, 20);
    const changes = audit.filter((e) => e.action.startsWith('chat_binding.'));
    assert.deepEqual(
      changes.map((e) => [e.action, e.actor]),
      [
        ['chat_binding.created', u.bob.user.id],
        ['chat_binding.deleted', u.admin.user.id],
      ],
    );
    assert.ok(!changes.some((e) => e.data.includes('SeCrEtToKeN')));
  });

  test('submit mails the approvers and posts to Slack and Mattermost; approval mails the requester, not the actor', async () => {
    const path = `/api/v1/accounts/${PROD}/chat-bindings`;
    for (const kind of ['slack', 'mattermost'])
      assert.equal(
        (
          await call(server, 'POST', path, {
            token: u.bob.token,
            body: { kind, url: `${receiver.url}/${kind}` },
          })
        ).status,
        201,
      );
    const submitted = await call(server, 'POST', '/api/v1/requests', {
      token: u.alice.token,
      body: { account_ids: [PROD], policy: POLICY, justification: 'rotate keys', duration_hours: 1 },
    });
    assert.equal(submitted.status, 201, submitted.text);
    const id = String(submitted.body.request?.id);
    const link = `${server.url}/requests/${id}`;

    for (const approver of ['bob@x.com', 'carol@x.com']) {
      const mail = await smtp.next(approver);
      assert.match(mail.subject, /^\[iam-jit\] /);
      assert.ok(mail.text.includes(link), mail.text);
      assert.ok(mail.html.includes(link));
      assert.ok(mail.text.includes('alice@x.com'));
    }
    const chat = await receiver.waitFor(2, (r) => r.path === '/slack' || r.path === '/mattermost');
    const slack = JSON.parse(chat.find((r) => r.path === '/slack')?.body ?? '{}') as { blocks?: unknown[] };
    const mattermost = JSON.parse(chat.find((r) => r.path === '/mattermost')?.body ?? '{}') as {
      attachments?: unknown[];
    };
    assert.ok(Array.isArray(slack.blocks) && slack.blocks.length > 0);
    assert.ok(Array.isArray(mattermost.attachments) && mattermost.attachments.length > 0);
    assert.ok(JSON.stringify(slack).includes(link));

    assert.equal(
      (await call(server, 'POST', `/api/v1/requests/${id}/approve`, { token: u.bob.token, body: {} })).status,
      200,
    );
    const approved = await smtp.next('alice@x.com');
    assert.ok(approved.text.includes(link));
    const targets = await eventually(async () => {
      const rows = await ctx.database.db
        .selectFrom('notification_deliveries')
        .select(['event_type', 'target', 'status'])
        .where('channel', '=', 'email')
        .orderBy('event_type')
        .orderBy('target')
        .execute();
      return rows.length === 3 && rows.every((r) => r.status === 'delivered') ? rows : undefined;
    });
    assert.deepEqual(
      targets.map((r) => [r.event_type, r.target]),
      [
        ['request.approved', 'email:alice@x.com'],
        ['request.submitted', 'email:bob@x.com'],
        ['request.submitted', 'email:carol@x.com'],
      ],
    );
    assert.equal(smtp.received.filter((m) => m.to === 'alice@x.com').length, 1);
  });
});
