// Two runs ending the same grant at once (an expiry and a revoke job of a grant left `revoking` by an AWS outage):
// both are in AWS at the same time (a fake AWS port holds both deleteRole calls until both arrived), exactly one
// records the end — the other finds the grant changed and stops — so the grant ends once, with one audit event.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createGrantLifecycle } from '../../src/grants/grant-lifecycle.ts';
import { HOUR } from '../../src/lib/clock.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  BOUNDARY,
  BROKER_ARN,
  bob,
  type GrantHarness,
  SPOKE,
  startGrantHarness,
  unusedAws,
} from './harness.ts';

forEachDialect('grants: concurrent ends of one grant', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  test('an expiry and a revocation racing on a revoking grant end it once', async () => {
    const requestId = await h.requests.submit(alice, {
      accountIds: [SPOKE],
      justification: 'debug a deployment',
      durationHours: 1,
      spec: {
        type: 'policy',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        },
      },
    });
    await h.requests.approve(bob, requestId);
    const [grant] = (await h.grants.list(alice, { requestId })).items;
    assert.ok(grant);
    await h.runner.runDue();
    h.clock.advance(2 * HOUR);
    h.aws.faults.fail('DeleteRolePolicy', { code: 'ServiceUnavailable', message: 'down', status: 503 }, 1);
    await assert.rejects(h.lifecycle.end(grant.id, { expiry: true }), /down/);
    assert.equal((await h.grants.get(alice, grant.id)).status, 'revoking');

    let arrived = 0;
    let release = () => {};
    const bothInAws = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store = createGrantStore(ctx.database, { clock: h.clock });
    const racing = createGrantLifecycle({
      grants: store.grants,
      accounts: createAccountRepo(ctx.database.db),
      transaction: store.transaction,
      aws: {
        ...unusedAws,
        deleteRole: async () => {
          if (++arrived === 2) release();
          await bothInAws;
        },
      },
      clock: h.clock,
      settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
    });
    await Promise.all([
      racing.end(grant.id, { expiry: true, attempt: 2 }),
      racing.end(grant.id, { expiry: false, attempt: 1 }),
    ]);
    assert.equal(arrived, 2);

    const ended = await h.grants.get(alice, grant.id);
    assert.equal(ended.status, 'expired');
    assert.ok(ended.endedAt);
    const actions = await h.auditActions(grant.id);
    assert.equal(actions.filter((a) => a === 'grant.expired').length, 1);
    assert.equal((await h.requests.get(alice, requestId)).request.status, 'expired');
  });
});
