import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import {
  alice,
  DEV,
  makeServices,
  PROD,
  QUORUM2,
  READ_POLICY,
  seedAccounts,
} from '../../test/requests/fixtures.ts';
import { requestStoreFor } from '../../test/requests/stores.ts';
import { forEachDialect } from '../../test/support/dialects.ts';
import { seedUser } from '../../test/support/identity-fixtures.ts';
import { HOUR } from '../lib/clock.ts';
import { type BrokerErrorCode, isBrokerError } from '../lib/errors.ts';

function rejectsWith(
  code: BrokerErrorCode,
  check: (details: Record<string, unknown>) => boolean = () => true,
) {
  return (e: unknown) => isBrokerError(e, code) && check((e.details ?? {}) as Record<string, unknown>);
}

const base = { justification: 'debug orders', durationHours: 2 };

forEachDialect('request submission', (ctx) => {
  beforeEach(() => ctx.reset());

  test('submitting actions drafts the policy server-side; revision 1 has findings, risk and an event', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const id = await service.submit(alice, {
      ...base,
      accountIds: [DEV],
      spec: { type: 'actions', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders/*'] },
    });
    const d = await service.get(alice, id);
    assert.equal(d.request.status, 'pending');
    assert.equal(d.request.version, 1);
    assert.equal(d.request.requesterId, alice.id);
    assert.deepEqual(d.request.accountIds, [DEV]);
    assert.equal(d.request.approvalDeadline?.toISOString(), '2026-05-02T09:00:00.000Z');
    assert.equal(d.revisions.length, 1);
    const rev = d.revisions[0];
    assert.ok(rev);
    assert.deepEqual(rev?.source, {
      type: 'actions',
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::orders/*'],
    });
    assert.deepEqual(
      (rev.policy as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.map((s) => [
        s.Action,
        s.Resource,
      ]),
      [[['s3:GetObject'], ['arn:aws:s3:::orders/*']]],
    );
    assert.equal(rev?.risk.environment, 'nonprod');
    assert.ok(rev && rev.risk.score >= 1 && rev.risk.score <= 10);
    assert.deepEqual(
      d.events.map((e) => [e.type, e.fromStatus, e.toStatus, e.seq]),
      [['submitted', null, 'pending', 1]],
    );
  });

  test('the risk review uses the riskiest account context (prod scores at least as high as nonprod)', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const devOnly = await service.submit(alice, {
      ...base,
      accountIds: [DEV],
      spec: { type: 'policy', policy },
    });
    const both = await service.submit(alice, {
      ...base,
      accountIds: [DEV, PROD],
      spec: { type: 'policy', policy },
    });
    const a = (await service.get(alice, devOnly)).revisions[0]?.risk;
    const b = (await service.get(alice, both)).revisions[0]?.risk;
    assert.equal(b?.environment, 'prod');
    assert.equal(b?.accountId, PROD);
    assert.ok(a && b && b.score > a.score, `${a?.score} < ${b?.score}`);
    assert.ok(b?.factors.some((f) => f.id === 'production'));
  });

  test('validation errors reject with PolicyInvalid and the findings; warnings stay on the revision', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const bad = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' }],
    };
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec: { type: 'policy', policy: bad } }),
      rejectsWith(
        'PolicyInvalid',
        (d) => Array.isArray(d.findings) && d.findings.some((f) => f.severity === 'error'),
      ),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec: { type: 'policy', policy: '{"Version": ' } }),
      rejectsWith(
        'PolicyInvalid',
        (d) => (d.findings as { code: string }[])[0]?.code === 'JSON_SYNTAX_ERROR',
      ),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec: { type: 'actions', actions: ['s3:Nope'] } }),
      rejectsWith('PolicyInvalid', (d) => (d.findings as { code: string }[])[0]?.code === 'UnknownAction'),
    );
    // No Version element: IAM defaults to 2008-10-17, a warning (not an error).
    const old = {
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }],
    };
    const id = await service.submit(alice, {
      ...base,
      accountIds: [DEV],
      spec: { type: 'policy', policy: old },
    });
    const findings = (await service.get(alice, id)).revisions[0]?.findings ?? [];
    assert.ok(findings.length > 0 && findings.every((f) => f.severity !== 'error'), JSON.stringify(findings));
  });

  test('account rules: allowed services and read-only access', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    await accounts.update(DEV, { allowedServices: ['ec2'] }, 'email:admin@x.com');
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec: { type: 'policy', policy: READ_POLICY } }),
      rejectsWith(
        'PolicyInvalid',
        (d) => (d.findings as { code: string }[])[0]?.code === 'SERVICE_NOT_ALLOWED',
      ),
    );
    const write = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }],
    };
    await assert.rejects(
      service.submit(alice, {
        ...base,
        accountIds: [PROD],
        accessType: 'read-only',
        spec: { type: 'policy', policy: write },
      }),
      rejectsWith('PolicyInvalid', (d) =>
        (d.findings as { code: string }[]).some((f) => f.code === 'READ_ONLY_VIOLATION'),
      ),
    );
  });

  test('bad inputs name their field; unknown accounts are UnknownAccount; huge policies PolicyTooLarge', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const spec = { type: 'policy' as const, policy: READ_POLICY };
    const field = (f: string) => rejectsWith('InvalidInput', (d) => d.field === f);
    await assert.rejects(service.submit(alice, { ...base, accountIds: [], spec }), field('account_ids'));
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: ['123'], spec }),
      field('account_ids[0]'),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec, startAt: 'soon' }),
      field('start_at'),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec, callbackUrl: 'ftp://x' }),
      field('callback_url'),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec, durationHours: -1 }),
      field('duration_hours'),
    );
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: ['999999999999'], spec }),
      rejectsWith('UnknownAccount', (d) => JSON.stringify(d.account_ids) === '["999999999999"]'),
    );
    const huge = { ...READ_POLICY, Id: 'x'.repeat(70_000) };
    await assert.rejects(
      service.submit(alice, { ...base, accountIds: [DEV], spec: { type: 'policy', policy: huge } }),
      rejectsWith('PolicyTooLarge'),
    );
  });

  test('an account max duration below the global one applies', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const spec = { type: 'policy' as const, policy: READ_POLICY };
    await assert.rejects(
      service.submit(alice, { ...base, durationHours: 9, accountIds: [PROD, DEV], spec }),
      rejectsWith('DurationExceedsMax', (d) => d.max_hours === 8),
    );
    await service.submit(alice, { ...base, durationHours: 9, accountIds: [DEV], spec });
  });

  test('preview returns findings, risk and the draft, and stores nothing', async () => {
    const { service, accounts } = makeServices(ctx);
    await seedAccounts(accounts);
    const p = await service.preview(alice, {
      ...base,
      accountIds: [PROD],
      spec: { type: 'access_levels', service: 's3', accessLevels: ['List'] },
    });
    assert.equal(p.valid, true);
    assert.equal(p.wouldAutoApprove, false);
    assert.equal(p.risk?.environment, 'prod');
    assert.ok(Array.isArray((p.policy as { Statement: unknown[] }).Statement));
    const bad = await service.preview(alice, {
      ...base,
      accountIds: [PROD],
      spec: { type: 'actions', actions: ['x:y'] },
    });
    assert.equal(bad.valid, false);
    assert.equal(bad.risk, null);
    assert.equal((await service.list(alice)).items.length, 0);
  });

  test('IAM_JIT_MAX_DURATION_HOURS caps the duration', async () => {
    const spec = { type: 'policy' as const, policy: READ_POLICY };
    const { service, accounts } = makeServices(ctx, { maxDurationHours: 3 });
    await seedAccounts(accounts);
    await assert.rejects(
      service.submit(alice, { ...base, durationHours: 4, accountIds: [DEV], spec }),
      rejectsWith('DurationExceedsMax', (d) => d.max_hours === 3),
    );
    await ctx.reset();
    const wider = makeServices(ctx, { maxDurationHours: 5 });
    await seedAccounts(wider.accounts);
    await wider.service.submit(alice, { ...base, durationHours: 4, accountIds: [DEV], spec });
  });

  test('IAM_JIT_DEFAULT_DURATION_HOURS is used when no duration is given', async () => {
    for (const hours of [1, 6]) {
      await ctx.reset();
      const { service, accounts } = makeServices(ctx, { defaultDurationHours: hours });
      await seedAccounts(accounts);
      const id = await service.submit(alice, {
        justification: 'x',
        accountIds: [DEV],
        spec: { type: 'policy', policy: READ_POLICY },
      });
      assert.equal((await service.get(alice, id)).request.durationHours, hours);
    }
  });

  test('IAM_JIT_REQUIRE_JUSTIFICATION decides whether an empty justification is accepted', async () => {
    const input = {
      accountIds: [DEV],
      spec: { type: 'policy' as const, policy: READ_POLICY },
      justification: '  ',
    };
    const strict = makeServices(ctx, { requireJustification: true });
    await seedAccounts(strict.accounts);
    await assert.rejects(
      strict.service.submit(alice, input),
      rejectsWith('InvalidInput', (d) => d.field === 'justification'),
    );
    const lax = makeServices(ctx, { requireJustification: false });
    const id = await lax.service.submit(alice, input);
    assert.equal((await lax.service.get(alice, id)).request.justification, '');
  });

  test('IAM_JIT_APPROVAL_TIMEOUT_HOURS sets the approval deadline', async () => {
    const { service, accounts, clock } = makeServices(ctx, { approvalTimeoutHours: 2 });
    await seedAccounts(accounts);
    const id = await service.submit(alice, {
      ...base,
      accountIds: [DEV],
      spec: { type: 'policy', policy: READ_POLICY },
    });
    assert.equal(
      (await service.get(alice, id)).request.approvalDeadline?.getTime(),
      clock.now().getTime() + 2 * HOUR,
    );
  });

  test('the per-user cap on open requests (TooManyOpenRequests) counts only open ones', async () => {
    const { service, accounts } = makeServices(ctx, { maxOpenPerUser: 2 });
    await seedAccounts(accounts);
    const input = { ...base, accountIds: [QUORUM2], spec: { type: 'policy' as const, policy: READ_POLICY } };
    const first = await service.submit(alice, input);
    await service.submit(alice, input);
    await assert.rejects(
      service.submit(alice, input),
      rejectsWith('TooManyOpenRequests', (d) => d.limit === 2 && typeof d.retry_after_seconds === 'number'),
    );
    await service.cancel(alice, first);
    await service.submit(alice, input);
    const store = requestStoreFor(ctx);
    assert.equal(await store.requests.countByRequester(alice.id, ['pending']), 2);
  });

  test('the cap holds under concurrent submissions by one user (the user row is locked)', async () => {
    await seedUser(ctx.database, { id: alice.id });
    const { service, accounts } = makeServices(ctx, { maxOpenPerUser: 2 });
    await seedAccounts(accounts);
    const input = { ...base, accountIds: [DEV], spec: { type: 'policy' as const, policy: READ_POLICY } };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => service.submit(alice, input)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    for (const r of results)
      if (r.status === 'rejected')
        assert.ok(isBrokerError(r.reason, 'TooManyOpenRequests'), String(r.reason));
  });
});
