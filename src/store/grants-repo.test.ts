import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import type { Grant } from '../grants/grant.ts';
import { createAuditLog } from './audit-events-repo.ts';
import { createGrantRepo } from './grants-repo.ts';
import { createRequestStatusPort } from './request-status-port.ts';
import { withTransaction } from './transaction.ts';

const T0 = new Date('2026-11-23T10:00:00.000Z');
const T1 = new Date('2026-11-23T11:00:00.000Z');

function grant(id: string, overrides: Partial<Grant> = {}): Grant {
  return {
    id,
    requestId: `req_${id}`,
    accountId: '222222222222',
    requesterId: 'email:alice@example.com',
    approverIds: ['email:bob@example.com'],
    revision: 1,
    mode: 'iam_role',
    status: 'active',
    policy: { Version: '2012-10-17', Statement: [] },
    notBefore: T0,
    notAfter: T1,
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
    ...overrides,
  };
}

forEachDialect('grants repo: batch ends', (ctx) => {
  const db = () => ctx.database.db;
  beforeEach(() => ctx.reset());

  async function insertRequest(id: string, status: string): Promise<void> {
    await db()
      .insertInto('requests')
      .values({
        id,
        requester_id: 'email:alice@example.com',
        status,
        version: 1,
        current_revision: 1,
        access_type: 'policy',
        justification: 'test',
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
  }

  test('markRevoking moves only grants still at the version read; getMany and byRequests read in one go', async () => {
    const repo = createGrantRepo(db());
    for (const id of ['grt_a', 'grt_b', 'grt_c']) await repo.insert(grant(id));
    const moved = await repo.markRevoking(
      [
        { id: 'grt_a', version: 2 },
        { id: 'grt_b', version: 1 },
      ],
      T1,
    );
    assert.deepEqual([...moved], ['grt_a']);
    const byId = new Map((await repo.getMany(['grt_a', 'grt_b', 'grt_x'])).map((g) => [g.id, g]));
    assert.deepEqual([...byId.keys()].sort(), ['grt_a', 'grt_b']);
    assert.deepEqual([byId.get('grt_a')?.status, byId.get('grt_a')?.version], ['revoking', 3]);
    assert.deepEqual([byId.get('grt_b')?.status, byId.get('grt_b')?.version], ['active', 2]);
    assert.deepEqual((await repo.byRequests(['req_grt_a', 'req_grt_c'])).map((g) => g.id).sort(), [
      'grt_a',
      'grt_c',
    ]);
    assert.deepEqual(await repo.markRevoking([], T1), new Set());
  });

  test('finishRevoking ends revoking grants as revoked, failed or expired and leaves the others alone', async () => {
    const repo = createGrantRepo(db());
    await repo.insert(grant('grt_exp', { status: 'revoking' }));
    await repo.insert(grant('grt_rev', { status: 'revoking', revokedBy: 'email:alice@example.com' }));
    await repo.insert(grant('grt_fail', { status: 'revoking', endReason: 'CreateRole failed' }));
    await repo.insert(grant('grt_active'));
    const ended = await repo.finishRevoking(['grt_exp', 'grt_rev', 'grt_fail', 'grt_active', 'grt_x'], T1);
    assert.deepEqual(ended.map((g) => [g.id, g.status, g.endedAt?.toISOString(), g.version]).sort(), [
      ['grt_exp', 'expired', T1.toISOString(), 3],
      ['grt_fail', 'failed', T1.toISOString(), 3],
      ['grt_rev', 'revoked', T1.toISOString(), 3],
    ]);
    assert.equal((await repo.get('grt_active'))?.status, 'active');
    assert.deepEqual(await repo.finishRevoking(['grt_exp'], T1), [], 'an ended grant is not ended twice');
  });

  test('moveMany moves each request from its allowed states, numbers its history and audits in order', async () => {
    await insertRequest('req_1', 'active');
    await insertRequest('req_2', 'approved');
    await insertRequest('req_3', 'pending');
    const moved = await withTransaction(db(), (tx) =>
      createRequestStatusPort(tx, createAuditLog(tx)).moveMany(
        [
          {
            requestId: 'req_2',
            from: ['approved', 'active'],
            to: 'revoked',
            cause: { data: { grant_id: 'g2' } },
          },
          { requestId: 'req_3', from: ['approved', 'active'], to: 'expired' },
          { requestId: 'req_1', from: ['approved', 'active'], to: 'expired', cause: { actorId: 'usr_x' } },
          { requestId: 'req_none', from: ['active'], to: 'expired' },
        ],
        T1,
      ),
    );
    assert.deepEqual(moved, [true, false, true, false]);
    const requests = await db()
      .selectFrom('requests')
      .select(['id', 'status', 'version'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      requests.map((r) => [r.id, r.status, Number(r.version)]),
      [
        ['req_1', 'expired', 2],
        ['req_2', 'revoked', 2],
        ['req_3', 'pending', 1],
      ],
    );
    const events = await db()
      .selectFrom('request_events')
      .select(['request_id', 'seq', 'type', 'from_status', 'actor_id'])
      .orderBy('request_id')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.request_id, Number(e.seq), e.type, e.from_status, e.actor_id]),
      [
        ['req_1', 1, 'expired', 'active', 'usr_x'],
        ['req_2', 1, 'revoked', 'approved', 'system'],
      ],
    );
    const audit = await db()
      .selectFrom('audit_events')
      .select(['action', 'subject'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(audit, [
      { action: 'request.revoked', subject: 'req_2' },
      { action: 'request.expired', subject: 'req_1' },
    ]);
    await assert.rejects(
      withTransaction(db(), (tx) =>
        createRequestStatusPort(tx, createAuditLog(tx)).moveMany(
          [
            { requestId: 'req_1', from: ['expired'], to: 'revoked' },
            { requestId: 'req_1', from: ['expired'], to: 'failed' },
          ],
          T1,
        ),
      ),
      /moveMany: a request may move only once per call/,
    );
  });

  test('countAssignmentLeases counts other pending and active grants on the set, and pending ones without an ARN yet', async () => {
    const repo = createGrantRepo(db());
    const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
    const base = { mode: 'identity_center' as const, roleArn: ps };
    await repo.insert(grant('grt_me', { ...base, status: 'revoking' }));
    const leases = () =>
      repo.countAssignmentLeases({
        requesterId: 'email:alice@example.com',
        accountId: '222222222222',
        permissionSetArn: ps,
        excludeId: 'grt_me',
      });
    assert.equal(await leases(), 0);
    await repo.insert(grant('grt_ended', { ...base, status: 'expired' }));
    await repo.insert(grant('grt_other_user', { ...base, requesterId: 'email:bob@example.com' }));
    assert.equal(await leases(), 0);
    await repo.insert(grant('grt_pending_new', { ...base, status: 'pending', roleArn: null }));
    assert.equal(await leases(), 1, 'a pending grant about to take the set holds a lease');
    await repo.insert(grant('grt_active', base));
    assert.equal(await leases(), 2);
  });
});
