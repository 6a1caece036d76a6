// Many grants ending at the same moment (src/grants/grant-revocation.ts): their moves to `revoking` and their final
// states, request moves and audit events are batched into shared statements and transactions, while each grant's
// AWS revocation stays its own — so one grant whose AWS call fails stays `revoking` (alert, retried) and the others
// end. Real SDK against the emulator, on SQLite and Postgres.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { createGrantAws } from '../../src/aws/grant-aws.ts';
import { createGrantLifecycle } from '../../src/grants/grant-lifecycle.ts';
import type { GrantAws, GrantTransaction } from '../../src/grants/ports.ts';
import { HOUR } from '../../src/lib/clock.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import {
  alice,
  BOUNDARY,
  BROKER_ARN,
  bob,
  type GrantHarness,
  HUB_CREDENTIALS,
  SPOKE,
  startGrantHarness,
  unusedAws,
} from './harness.ts';

const GRANTS = 8;

forEachDialect('grants: many ends at once', (ctx) => {
  let h: GrantHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startGrantHarness(ctx);
  });
  afterEach(() => h.close());

  async function activeGrants(): Promise<{ grantId: string; requestId: string; roleName: string }[]> {
    const out = [];
    for (let n = 0; n < GRANTS; n++) {
      const requestId = await h.requests.submit(alice, {
        accountIds: [SPOKE],
        justification: `batch ${n}`,
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
      out.push({ grantId: grant.id, requestId, roleName: `iam-jit-${grant.id}` });
    }
    await h.runner.runDue();
    return out;
  }

  /**
   * A lifecycle over the suite's database that counts its transactions; AWS is the harness's emulator, or `aws`
   * (a port whose calls a test holds, to make ends arrive together).
   */
  function countingLifecycle(aws?: GrantAws) {
    const store = createGrantStore(ctx.database, { clock: h.clock });
    let transactions = 0;
    const transaction: GrantTransaction = (work) => {
      transactions++;
      return store.transaction(work);
    };
    const lifecycle = createGrantLifecycle({
      grants: store.grants,
      accounts: createAccountRepo(ctx.database.db),
      transaction,
      aws:
        aws ??
        createGrantAws({
          endpoint: h.aws.url,
          hubCredentials: HUB_CREDENTIALS,
          maxAttempts: 1,
          now: () => h.clock.now(),
        }),
      clock: h.clock,
      settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
      alert: (a) => h.alerts.push(a),
    });
    return { lifecycle, transactions: () => transactions };
  }

  async function roleExists(roleName: string): Promise<boolean> {
    try {
      await h.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: roleName }));
      return true;
    } catch (e) {
      if (e instanceof NoSuchEntityException) return false;
      throw e;
    }
  }

  test('ends whose AWS revocations finish together share one transaction', async () => {
    const grants = await activeGrants();
    h.clock.advance(HOUR + 1000);
    let arrived = 0;
    let release = () => {};
    const all = new Promise<void>((resolve) => {
      release = resolve;
    });
    const deleted: string[] = [];
    const { lifecycle, transactions } = countingLifecycle({
      ...unusedAws,
      deleteRole: async (_target, roleName) => {
        deleted.push(roleName);
        if (++arrived === GRANTS) release();
        await all;
      },
    });
    await Promise.all(grants.map((g) => lifecycle.end(g.grantId, { expiry: true })));
    assert.equal(transactions(), 1);
    assert.deepEqual(deleted.sort(), grants.map((g) => g.roleName).sort());
    for (const g of grants) {
      assert.equal((await h.grants.get(alice, g.grantId)).status, 'expired');
      assert.equal((await h.requests.get(alice, g.requestId)).request.status, 'expired');
    }
  });

  test('grants expiring together all end, each with its request, audit rows and role gone', async () => {
    const grants = await activeGrants();
    h.clock.advance(HOUR + 1000);
    const { lifecycle } = countingLifecycle();
    await Promise.all(grants.map((g) => lifecycle.end(g.grantId, { expiry: true })));
    for (const g of grants) {
      const grant = await h.grants.get(alice, g.grantId);
      assert.equal(grant.status, 'expired');
      assert.equal(grant.endedAt?.toISOString(), h.clock.now().toISOString());
      assert.equal((await h.requests.get(alice, g.requestId)).request.status, 'expired');
      assert.deepEqual((await h.auditActions(g.grantId)).filter((a) => a.startsWith('grant.')).slice(-1), [
        'grant.expired',
      ]);
      assert.deepEqual((await h.auditActions(g.requestId)).slice(-1), ['request.expired']);
      assert.equal(await roleExists(g.roleName), false);
    }
    const events = await createAuditReader(ctx.database.db).list({ action: 'grant.expired' }, 0, 100);
    assert.equal(events.length, GRANTS);
    assert.equal((await verifyAuditChain(createAuditReader(ctx.database.db))).ok, true);
  });

  test('one AWS failure in a batch leaves that grant revoking with an alert; the others end; the retry ends it', async () => {
    const grants = await activeGrants();
    h.clock.advance(HOUR + 1000);
    h.aws.faults.fail('DeleteRole', { code: 'ServiceUnavailable', message: 'down', status: 503 }, 1);
    const { lifecycle } = countingLifecycle();
    const results = await Promise.allSettled(
      grants.map((g) => lifecycle.end(g.grantId, { expiry: true, attempt: 1 })),
    );
    const failed = grants.filter((_, i) => results[i]?.status === 'rejected');
    assert.equal(failed.length, 1);
    const [bad] = failed;
    assert.ok(bad);
    assert.equal((await h.grants.get(alice, bad.grantId)).status, 'revoking');
    assert.equal((await h.requests.get(alice, bad.requestId)).request.status, 'active');
    assert.deepEqual(
      h.alerts.map((a) => [a.kind, a.grantId]),
      [['grant.revocation_failed', bad.grantId]],
    );
    assert.ok((await h.auditActions(bad.grantId)).includes('alert.grant_revocation_failed'));
    for (const g of grants.filter((x) => x !== bad))
      assert.equal((await h.grants.get(alice, g.grantId)).status, 'expired');

    await lifecycle.end(bad.grantId, { expiry: true, attempt: 2 });
    assert.equal((await h.grants.get(alice, bad.grantId)).status, 'expired');
    assert.equal((await h.requests.get(alice, bad.requestId)).request.status, 'expired');
    assert.equal(await roleExists(bad.roleName), false);
  });

  test('an early revoke and expiries in one batch: the revoked grant ends revoked, its expiry job is cancelled', async () => {
    const grants = await activeGrants();
    const [first, ...rest] = grants;
    assert.ok(first);
    await h.grants.revoke(alice, first.grantId, { reason: 'done early' });
    h.clock.advance(HOUR + 1000);
    const { lifecycle } = countingLifecycle();
    await Promise.all([
      lifecycle.end(first.grantId, { expiry: false }),
      ...rest.map((g) => lifecycle.end(g.grantId, { expiry: true })),
    ]);
    assert.equal((await h.grants.get(alice, first.grantId)).status, 'revoked');
    assert.equal((await h.requests.get(alice, first.requestId)).request.status, 'revoked');
    const expireJob = await ctx.database.db
      .selectFrom('jobs')
      .select('status')
      .where('dedupe_key', '=', `expire:${first.grantId}`)
      .executeTakeFirst();
    assert.equal(expireJob, undefined);
    for (const g of rest) assert.equal((await h.grants.get(alice, g.grantId)).status, 'expired');
  });

  test('two ends of one active grant in one batch: one revokes in AWS, the other retries', async () => {
    const [g] = await activeGrants();
    assert.ok(g);
    h.clock.advance(HOUR + 1000);
    const deleted: string[] = [];
    const { lifecycle } = countingLifecycle({
      ...unusedAws,
      deleteRole: async (_target, roleName) => {
        deleted.push(roleName);
      },
    });
    const results = await Promise.allSettled([
      lifecycle.end(g.grantId, { expiry: true }),
      lifecycle.end(g.grantId, { expiry: false }),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message)),
      ['ok', `grant ${g.grantId} changed meanwhile; retrying`],
    );
    assert.deepEqual(deleted, [g.roleName]);
    assert.equal((await h.grants.get(alice, g.grantId)).status, 'expired');
  });
});
