// The approval timeout end to end: submission schedules a durable job in its transaction; the job runner (real
// jobs table, fake clock) times the request out at its deadline, audited; later changes supersede old deadlines.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { createAccountService } from '../../src/accounts/account-service.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/index.ts';
import { createFakeClock, type FakeClock, HOUR } from '../../src/lib/clock.ts';
import { createRequestService, type RequestService } from '../../src/requests/request-service.ts';
import { requestJobDefinitions } from '../../src/requests/request-timeout.ts';
import { createAuditReader } from '../../src/store/audit-events-repo.ts';
import { createJobStore } from '../../src/store/jobs-repo.ts';
import { createRequestStore } from '../../src/store/requests-store.ts';
import { forEachDialect } from '../support/dialects.ts';
import { alice, bob, DEFAULT_SETTINGS, PROD, READ_POLICY, seedAccounts } from './fixtures.ts';

forEachDialect('approval timeout', (ctx) => {
  let clock: FakeClock;
  let service: RequestService;
  let runner: JobRunner;

  function build(approvalTimeoutHours: number): void {
    const store = createRequestStore(ctx.database, { timeouts: { clock } });
    service = createRequestService({
      repos: store,
      transaction: store.transaction,
      clock,
      settings: { ...DEFAULT_SETTINGS, approvalTimeoutHours },
    });
    runner = createJobRunner({
      store: createJobStore(ctx.database),
      clock,
      definitions: requestJobDefinitions({ transaction: store.transaction, clock }),
    });
  }

  beforeEach(async () => {
    await ctx.reset();
    clock = createFakeClock('2026-05-01T09:00:00.000Z');
    const store = createRequestStore(ctx.database);
    await seedAccounts(
      createAccountService({ accounts: store.accounts, transaction: store.transaction, clock }),
    );
  });

  const submit = () =>
    service.submit(alice, {
      accountIds: [PROD],
      justification: 'debug',
      durationHours: 1,
      spec: { type: 'policy', policy: READ_POLICY },
    });

  test('a pending request times out at its deadline, by the system, audited', async () => {
    build(2);
    const id = await submit();
    clock.advance(2 * HOUR - 1000);
    await runner.runDue();
    assert.equal((await service.get(alice, id)).request.status, 'pending');
    clock.advance(1000);
    await runner.runDue();
    const d = await service.get(alice, id);
    assert.equal(d.request.status, 'timed_out');
    assert.deepEqual(d.events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorId]).at(-1), [
      'timed_out',
      'pending',
      'timed_out',
      'system',
    ]);
    const audit = await createAuditReader(ctx.database.db).list({ subject: id }, 0, 100);
    assert.deepEqual(
      audit.map((r) => [r.action, r.actor]),
      [
        ['request.submitted', alice.id],
        ['request.timed_out', 'system'],
      ],
    );
  });

  test('IAM_JIT_APPROVAL_TIMEOUT_HOURS sets when that happens', async () => {
    build(5);
    const id = await submit();
    clock.advance(4 * HOUR);
    await runner.runDue();
    assert.equal((await service.get(alice, id)).request.status, 'pending');
    clock.advance(HOUR);
    await runner.runDue();
    assert.equal((await service.get(alice, id)).request.status, 'timed_out');
  });

  test('an approved request is left alone; a resubmission starts a new window', async () => {
    build(2);
    const approved = await submit();
    await service.approve(bob, approved);
    const revised = await submit();
    clock.advance(HOUR);
    await service.requestChanges(bob, revised, { comment: 'narrow it' });
    await service.resubmit(alice, revised, { comment: 'narrowed' });
    clock.advance(HOUR); // the first deadline passes: superseded, nothing happens
    await runner.runDue();
    assert.equal((await service.get(alice, approved)).request.status, 'approved');
    assert.equal((await service.get(alice, revised)).request.status, 'pending');
    clock.advance(HOUR); // the resubmission's deadline
    await runner.runDue();
    assert.equal((await service.get(alice, revised)).request.status, 'timed_out');
  });
});
