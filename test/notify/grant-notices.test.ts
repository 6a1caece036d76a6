// Grant notices through the real grant lifecycle (emulator, fake clock) on both dialects: activation and extension
// schedule the 15-minute reminder in their own transaction; the reminder for a superseded end sends nothing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { RENDERERS } from '../../src/app-notify.ts';
import { createJobRunner } from '../../src/jobs/index.ts';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { createSecretBox } from '../../src/lib/crypto.ts';
import { disabledMailer } from '../../src/mail/mailer.ts';
import { notifyJobDefinitions } from '../../src/notify/notify-jobs.ts';
import { parseAllowList } from '../../src/notify/ssrf.ts';
import { createJobStore } from '../../src/store/jobs-repo.ts';
import { createNotifyStore } from '../../src/store/notifications-store.ts';
import { alice, bob, type GrantHarness, SPOKE, startGrantHarness } from '../grants/harness.ts';
import { forEachDialect } from '../support/dialects.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};

forEachDialect('grant notices', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  const expiringJobs = () =>
    ctx.database.db
      .selectFrom('jobs')
      .select(['dedupe_key', 'run_at', 'payload'])
      .where('type', '=', 'notify.grant_expiring')
      .orderBy('run_at')
      .execute();

  test('activation and extension schedule the reminder at not_after − 15 min; only the current end notifies', async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [SPOKE],
      justification: 'debug a deployment',
      durationHours: 1,
      spec: { type: 'policy', policy: POLICY },
    });
    await h.requests.approve(bob, requestId);
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.ok(grant);
    assert.deepEqual(await expiringJobs(), [], 'nothing before the grant is active');
    await h.runner.runDue();
    assert.equal((await h.grants.get(alice, grant.id)).status, 'active');
    const unix = (d: Date) => Math.floor(d.getTime() / 1000);
    const first = grant.notAfter;
    assert.deepEqual(await expiringJobs(), [
      {
        dedupe_key: `notify:evt_${grant.id}_expiring_${unix(first)}`,
        run_at: new Date(first.getTime() - 15 * MINUTE).toISOString(),
        payload: JSON.stringify({ grantId: grant.id, notAfter: first.toISOString() }),
      },
    ]);
    const extended = await h.grants.extend(bob, grant.id, { hours: 1, reason: 'migration overran' });
    assert.equal(extended.notAfter.getTime(), first.getTime() + HOUR);
    assert.deepEqual(
      (await expiringJobs()).map((j) => j.run_at),
      [
        new Date(first.getTime() - 15 * MINUTE).toISOString(),
        new Date(extended.notAfter.getTime() - 15 * MINUTE).toISOString(),
      ],
    );

    // The notification jobs, on their own runner with the same fake clock.
    const store = createNotifyStore(ctx.database, { clock: h.clock });
    const allow = parseAllowList([]);
    const runner = createJobRunner({
      store: createJobStore(ctx.database),
      clock: h.clock,
      random: () => 0,
      definitions: notifyJobDefinitions({
        dispatch: { ...store, clock: h.clock, baseUrl: 'https://jit.test', mailEnabled: true },
        deliver: {
          ...store,
          box: createSecretBox('cd'.repeat(32)),
          callbackSecret: undefined,
          mailer: disabledMailer,
          allow,
          render: RENDERERS,
          clock: h.clock,
        },
      }),
    });
    const expiringDeliveries = () =>
      ctx.database.db
        .selectFrom('notification_deliveries')
        .select(['event_id', 'target', 'status'])
        .where('event_type', '=', 'grant.expiring')
        .execute();
    await runner.runDue();
    assert.deepEqual(await expiringDeliveries(), []);
    h.clock.set(new Date(first.getTime() - 15 * MINUTE));
    await runner.runDue();
    assert.deepEqual(await expiringDeliveries(), [], 'the old end was superseded by the extension');
    h.clock.set(new Date(extended.notAfter.getTime() - 15 * MINUTE));
    await runner.runDue();
    assert.deepEqual(await expiringDeliveries(), [
      // No SMTP server: the delivery is recorded and skipped, not retried.
      {
        event_id: `evt_${grant.id}_expiring_${unix(extended.notAfter)}`,
        target: 'email:alice@example.com',
        status: 'skipped',
      },
    ]);
    const activated = await ctx.database.db
      .selectFrom('notification_deliveries')
      .select(['event_type', 'target'])
      .where('event_type', 'in', [
        'grant.activated',
        'grant.extended',
        'request.submitted',
        'request.approved',
      ])
      .orderBy('event_type')
      .execute();
    assert.deepEqual(activated, [
      { event_type: 'grant.activated', target: 'email:alice@example.com' },
      { event_type: 'grant.extended', target: 'email:alice@example.com' },
      { event_type: 'request.approved', target: 'email:alice@example.com' },
      { event_type: 'request.submitted', target: 'email:bob@example.com' },
    ]);
  });
});
