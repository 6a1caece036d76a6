import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { identityStoreFor } from '../../test/support/stores.ts';
import { createFakeClock, MINUTE } from '../lib/clock.ts';
import { isBrokerError } from '../lib/errors.ts';
import { createUserService, type UserService } from './user-service.ts';

/** Resolves for everyone once `n` callers have arrived. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived >= n) release();
    await all;
  };
}

forEachDialect('user service', (ctx) => {
  let clock: ReturnType<typeof createFakeClock>;
  let service: UserService;
  beforeEach(async () => {
    await ctx.reset();
    clock = createFakeClock('2026-05-01T09:00:00.000Z');
    const store = identityStoreFor(ctx);
    service = createUserService({ users: store.users, transaction: store.transaction, clock });
  });

  test('create normalises the id, defaults roles and name, and get/list find the user', async () => {
    const alice = await service.create({ id: 'email:Alice@X.com' });
    assert.deepEqual(alice, {
      id: 'email:alice@x.com',
      displayName: 'alice@x.com',
      roles: ['requester'],
      enabled: true,
      createdAt: new Date('2026-05-01T09:00:00.000Z'),
      updatedAt: new Date('2026-05-01T09:00:00.000Z'),
    });
    const role = await service.create({
      id: 'iam:arn:aws:sts::111122223333:assumed-role/Devops/s1',
      roles: ['approver', 'requester'],
    });
    assert.equal(role.id, 'iam:arn:aws:iam::111122223333:role/Devops');
    assert.equal(role.displayName, 'Devops');
    assert.deepEqual(role.roles, ['requester', 'approver']);
    assert.deepEqual(await service.get('email:ALICE@x.com'), alice);
    assert.equal(await service.get('email:nobody@x.com'), undefined);
    assert.equal(await service.get('garbage'), undefined);
    assert.deepEqual(
      (await service.list()).map((u) => u.id),
      ['email:alice@x.com', 'iam:arn:aws:iam::111122223333:role/Devops'],
    );
    assert.deepEqual(
      (await service.list({ limit: 1, after: 'email:alice@x.com' })).map((u) => u.id),
      ['iam:arn:aws:iam::111122223333:role/Devops'],
    );
    await service.create({ id: 'email:zed@x.com', roles: ['approver'], enabled: false });
    assert.deepEqual(
      (await service.list({ role: 'approver' })).map((u) => u.id),
      ['iam:arn:aws:iam::111122223333:role/Devops', 'email:zed@x.com'].sort(),
    );
    assert.deepEqual(
      (await service.list({ role: 'approver', enabledOnly: true })).map((u) => u.id),
      ['iam:arn:aws:iam::111122223333:role/Devops'],
    );
  });

  test('create rejects duplicates, bad ids, unknown roles and empty names', async () => {
    await service.create({ id: 'email:bob@x.com' });
    await assert.rejects(service.create({ id: 'email:BOB@x.com' }), (e) => isBrokerError(e, 'UserExists'));
    await assert.rejects(service.create({ id: 'bob@x.com' }), (e) => isBrokerError(e, 'InvalidInput'));
    await assert.rejects(
      service.create({ id: 'email:c@x.com', roles: ['root' as 'admin'] }),
      (e) => isBrokerError(e, 'InvalidInput') && /unknown role/.test(e.message),
    );
    await assert.rejects(service.create({ id: 'email:c@x.com', displayName: '  ' }), (e) =>
      isBrokerError(e, 'InvalidInput'),
    );
  });

  test('update changes name, roles and enabled, and stamps updatedAt', async () => {
    await service.create({ id: 'email:carol@x.com' });
    clock.advance(5 * MINUTE);
    const updated = await service.update('email:carol@x.com', {
      displayName: 'Carol',
      roles: ['approver'],
      enabled: false,
    });
    assert.equal(updated.displayName, 'Carol');
    assert.deepEqual(updated.roles, ['approver']);
    assert.equal(updated.enabled, false);
    assert.equal(updated.updatedAt.toISOString(), '2026-05-01T09:05:00.000Z');
    assert.deepEqual(await service.get('email:carol@x.com'), updated);
    await assert.rejects(service.update('email:nobody@x.com', { enabled: true }), (e) =>
      isBrokerError(e, 'NotFound'),
    );
  });

  test('disabling a user ends their sessions, so re-enabling does not revive them', async () => {
    const store = identityStoreFor(ctx);
    await service.create({ id: 'email:carol@x.com' });
    const now = clock.now();
    await store.sessions.insert({
      id: 'ses_test',
      tokenHash: 'a'.repeat(64),
      userId: 'email:carol@x.com',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 60 * MINUTE),
    });
    assert.ok(await store.sessions.findActiveWithUser('a'.repeat(64), now));
    await service.update('email:carol@x.com', { displayName: 'Carol' });
    assert.ok(await store.sessions.findActiveWithUser('a'.repeat(64), now), 'other updates keep sessions');
    await service.update('email:carol@x.com', { enabled: false });
    await service.update('email:carol@x.com', { enabled: true });
    assert.equal(await store.sessions.findActiveWithUser('a'.repeat(64), now), undefined);
  });

  test('the last enabled admin cannot be demoted, disabled or deleted; another admin makes it possible', async () => {
    await service.create({ id: 'email:root@x.com', roles: ['admin'] });
    for (const attempt of [
      () => service.update('email:root@x.com', { roles: ['requester'] }),
      () => service.update('email:root@x.com', { enabled: false }),
      () => service.remove('email:root@x.com'),
    ]) {
      await assert.rejects(attempt(), (e) => isBrokerError(e, 'LastAdmin'));
    }
    assert.deepEqual((await service.get('email:root@x.com'))?.roles, ['admin']);
    // A disabled admin does not count.
    await service.create({ id: 'email:sleepy@x.com', roles: ['admin'], enabled: false });
    await assert.rejects(service.remove('email:root@x.com'), (e) => isBrokerError(e, 'LastAdmin'));
    await service.update('email:sleepy@x.com', { enabled: true });
    await service.remove('email:root@x.com');
    assert.equal(await service.get('email:root@x.com'), undefined);
    await assert.rejects(service.remove('email:root@x.com'), (e) => isBrokerError(e, 'NotFound'));
  });

  test('two admins demoting each other at the same time: exactly one succeeds', async () => {
    await service.create({ id: 'email:a@x.com', roles: ['admin'] });
    await service.create({ id: 'email:b@x.com', roles: ['admin'] });
    const store = identityStoreFor(ctx);
    // On Postgres, hold both transactions until each has read its user, so they truly overlap at the admin
    // check. SQLite runs one transaction at a time on its single connection, so there is nothing to hold.
    const bothArrived = barrier(ctx.dialect === 'postgres' ? 2 : 1);
    const racing = createUserService({
      users: store.users,
      transaction: (work) =>
        store.transaction((repos) =>
          work({
            audit: repos.audit,
            sessions: repos.sessions,
            users: {
              ...repos.users,
              lockActiveAdminIds: async () => {
                await bothArrived();
                return repos.users.lockActiveAdminIds();
              },
            },
          }),
        ),
      clock,
    });
    const results = await Promise.allSettled([
      racing.update('email:a@x.com', { roles: ['requester'] }),
      racing.update('email:b@x.com', { roles: ['requester'] }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const rejected = results.find((r) => r.status === 'rejected');
    assert.ok(rejected && isBrokerError(rejected.reason, 'LastAdmin'));
    const admins = (await service.list()).filter((u) => u.roles.includes('admin'));
    assert.equal(admins.length, 1);
  });

  test('ensureAdmin creates, promotes and re-enables, and is a no-op for an active admin', async () => {
    const created = await service.ensureAdmin('email:admin@localhost');
    assert.equal(created.changed, true);
    assert.deepEqual(created.user.roles, ['requester', 'approver', 'admin']);
    assert.equal((await service.ensureAdmin('email:admin@localhost')).changed, false);
    await service.create({ id: 'email:dave@x.com', enabled: false });
    const promoted = await service.ensureAdmin('email:dave@x.com');
    assert.equal(promoted.changed, true);
    assert.deepEqual(promoted.user.roles, ['requester', 'admin']);
    assert.equal(promoted.user.enabled, true);
  });
});
