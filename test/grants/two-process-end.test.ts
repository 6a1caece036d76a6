// Two server processes (two connection pools on one database) ending the two grants of one multi-account request at
// the same moment. Each end transaction must see the other's ended grant or wait for it, so exactly one of them ends
// the request; without the request-row lock (`RequestStatusPort.lock`), on Postgres's READ COMMITTED both saw the
// other grant still `revoking` and the request stayed `active` for ever. Repeated, since it is a race.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Grant } from '../../src/grants/grant.ts';
import { createGrantLifecycle } from '../../src/grants/grant-lifecycle.ts';
import { createFakeClock } from '../../src/lib/clock.ts';
import { createAccountRepo } from '../../src/store/accounts-repo.ts';
import { createDatabase, type Database } from '../../src/store/database.ts';
import { DIALECTS } from '../../src/store/db.ts';
import { createGrantStore } from '../../src/store/grants-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openTestDatabase } from '../support/dialects.ts';
import { postgresAvailability } from '../support/postgres.ts';
import { BOUNDARY, BROKER_ARN, unusedAws } from './harness.ts';

const T0 = new Date('2026-11-23T10:00:00.000Z');
const ROUNDS = 8;

function revokingGrant(id: string, requestId: string, accountId: string): Grant {
  return {
    id,
    requestId,
    accountId,
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status: 'revoking',
    policy: { Version: '2012-10-17', Statement: [] },
    notBefore: T0,
    notAfter: T0,
    roleName: `iam-jit-${id}`,
    roleArn: null,
    activatedAt: T0,
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 2,
    createdAt: T0,
    updatedAt: T0,
    regions: null,
  };
}

for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && postgresAvailability() === 'skip') continue;
  describe(`grants: two processes end one request's grants at once [${dialect}]`, () => {
    const opened: Array<{ dispose: () => Promise<void> }> = [];
    after(async () => {
      for (const o of opened.reverse()) await o.dispose();
    });

    test('the request ends exactly once, whichever process ends its last grant', {
      timeout: 60_000,
    }, async () => {
      const first = await openTestDatabase(dialect);
      opened.push(first);
      await migrateToLatest(first.database.db);
      const second: Database = createDatabase(first.url, { poolSize: 4 });
      opened.push({ dispose: () => second.close() });
      const clock = createFakeClock(new Date(T0.getTime() + 60_000));
      // Both processes' AWS calls are held until both arrived, then released together, so their end transactions
      // start at the same moment.
      let arrived = 0;
      let release = () => {};
      let together = Promise.resolve();
      const lifecycleOn = (database: Database) => {
        const store = createGrantStore(database, { clock });
        return createGrantLifecycle({
          grants: store.grants,
          accounts: createAccountRepo(database.db),
          transaction: store.transaction,
          aws: {
            ...unusedAws,
            deleteRole: async () => {
              if (++arrived === 2) release();
              await together;
            },
          },
          clock,
          settings: { vendingPrincipalArn: BROKER_ARN, permissionsBoundaryName: BOUNDARY },
        });
      };
      const processes = [lifecycleOn(first.database), lifecycleOn(second)];
      const db = first.database.db;
      await db
        .insertInto('accounts')
        .values(
          ['111122223333', '444455556666'].map((id) => ({
            id,
            name: id,
            environment: 'nonprod',
            provisioning_mode: 'iam_role',
            spoke_role_arn: `arn:aws:iam::${id}:role/iam-jit-provisioner`,
            external_id: 'x7Rk2pQ9-random-external-id',
            required_approvals: 1,
            max_duration_hours: null,
            allowed_services: null,
            permission_set_arn: null,
            created_at: T0.toISOString(),
            updated_at: T0.toISOString(),
          })),
        )
        .execute();
      for (let round = 0; round < ROUNDS; round++) {
        const requestId = `req_round${round}`;
        await db
          .insertInto('requests')
          .values({
            id: requestId,
            requester_id: 'email:alice@example.com',
            status: 'active',
            version: 3,
            current_revision: 1,
            access_type: 'policy',
            justification: 'two accounts',
            duration_hours: 1,
            start_at: null,
            callback_url: null,
            ticket: null,
            tags: '{}',
            approval_deadline: null,
            created_at: T0.toISOString(),
            updated_at: T0.toISOString(),
            regions: null,
            extends_grant_id: null,
          })
          .execute();
        const grants = [
          revokingGrant(`grt_a${round}`, requestId, '111122223333'),
          revokingGrant(`grt_b${round}`, requestId, '444455556666'),
        ];
        const repo = createGrantStore(first.database, { clock }).grants;
        for (const g of grants) await repo.insert(g);
        arrived = 0;
        together = new Promise<void>((resolve) => {
          release = resolve;
        });
        await Promise.all(grants.map((g, i) => processes[i]?.end(g.id, { expiry: true })));
        const request = await db
          .selectFrom('requests')
          .select('status')
          .where('id', '=', requestId)
          .executeTakeFirstOrThrow();
        assert.equal(request.status, 'expired', `round ${round}: the request ended`);
        const events = await db
          .selectFrom('audit_events')
          .select('action')
          .where('subject', '=', requestId)
          .execute();
        assert.deepEqual(
          events.map((e) => e.action),
          ['request.expired'],
          `round ${round}: ended once`,
        );
      }
    });
  });
}
