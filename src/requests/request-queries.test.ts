import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import {
  admin,
  alice,
  bob,
  carol,
  DEV,
  dave,
  eve,
  makeServices,
  PROD,
  QUORUM2,
  READ_POLICY,
  seedAccounts,
} from '../../test/requests/fixtures.ts';
import { forEachDialect } from '../../test/support/dialects.ts';
import { MINUTE } from '../lib/clock.ts';
import { isBrokerError } from '../lib/errors.ts';
import type { Actor } from './request-rules.ts';
import type { RequestService } from './request-service.ts';

forEachDialect('request queries', (ctx) => {
  let service: RequestService;
  let ids: Record<string, string>;
  beforeEach(async () => {
    await ctx.reset();
    const s = makeServices(ctx);
    service = s.service;
    await seedAccounts(s.accounts);
    const submit = async (by: Actor, accountId: string) => {
      s.clock.advance(MINUTE);
      return service.submit(by, {
        accountIds: [accountId],
        justification: 'j',
        durationHours: 1,
        spec: { type: 'policy', policy: READ_POLICY },
      });
    };
    ids = {
      aliceProd: await submit(alice, PROD),
      aliceDev: await submit(alice, DEV),
      eveQ2: await submit(eve, QUORUM2),
      bobDev: await submit(bob, DEV),
    };
  });

  const listed = async (actor: Actor, options = {}) =>
    (await service.list(actor, options)).items.map((r) => r.id);

  test('list is mine by default, newest first', async () => {
    assert.deepEqual(await listed(alice), [ids.aliceDev, ids.aliceProd]);
    assert.deepEqual(await listed(bob), [ids.bobDev]);
  });

  test('mine=false: requesters still see only their own; approvers their accounts; admins everything', async () => {
    assert.deepEqual(await listed(alice, { mine: false }), [ids.aliceDev, ids.aliceProd]);
    assert.deepEqual(await listed(carol, { mine: false }), [ids.bobDev, ids.eveQ2, ids.aliceDev]);
    assert.deepEqual(await listed(dave, { mine: false }), []);
    assert.deepEqual(await listed(admin, { mine: false }), [
      ids.bobDev,
      ids.eveQ2,
      ids.aliceDev,
      ids.aliceProd,
    ]);
  });

  test('filters: status and account_id', async () => {
    await service.approve(bob, ids.aliceProd as string);
    assert.deepEqual(await listed(admin, { mine: false, status: 'approved' }), [ids.aliceProd]);
    assert.deepEqual(await listed(admin, { mine: false, accountId: DEV }), [ids.bobDev, ids.aliceDev]);
    await assert.rejects(service.list(admin, { status: 'done' }), (e) => isBrokerError(e, 'InvalidInput'));
  });

  test('cursor pagination walks every page exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await service.list(admin, { mine: false, limit: 3, cursor });
      seen.push(...page.items.map((r) => r.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, [ids.bobDev, ids.eveQ2, ids.aliceDev, ids.aliceProd]);
    await assert.rejects(service.list(admin, { cursor: 'garbage' }), (e) => isBrokerError(e, 'InvalidInput'));
    await assert.rejects(service.list(admin, { limit: 0 }), (e) => isBrokerError(e, 'InvalidInput'));
  });

  test('pending-for-me: my accounts, not my own, not already approved by me', async () => {
    assert.deepEqual(
      (await service.pending(bob)).items.map((r) => r.id),
      [ids.eveQ2, ids.aliceDev, ids.aliceProd],
    );
    await service.approve(bob, ids.eveQ2 as string);
    assert.deepEqual(
      (await service.pending(bob)).items.map((r) => r.id),
      [ids.aliceDev, ids.aliceProd],
    );
    assert.deepEqual(
      (await service.pending(carol)).items.map((r) => r.id),
      [ids.bobDev, ids.eveQ2, ids.aliceDev],
    );
    assert.deepEqual((await service.pending(alice)).items, []);
    assert.equal((await service.pending(admin)).items.length, 4);
  });

  test("get: a requester cannot see others' requests (NotFound, not Forbidden)", async () => {
    await assert.rejects(service.get(eve, ids.aliceProd as string), (e) => isBrokerError(e, 'NotFound'));
    await assert.rejects(service.get(carol, ids.aliceProd as string), (e) => isBrokerError(e, 'NotFound'));
    await assert.rejects(service.get(alice, 'req_nope'), (e) => isBrokerError(e, 'NotFound'));
    assert.equal((await service.get(bob, ids.aliceProd as string)).request.id, ids.aliceProd);
    assert.equal((await service.get(admin, ids.aliceProd as string)).request.id, ids.aliceProd);
  });
});
