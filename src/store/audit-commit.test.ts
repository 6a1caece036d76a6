import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import type { AuditEvent, NewAuditEvent } from '../audit/audit-event.ts';
import { type AuditCommitListener, onAuditCommitted } from './audit-commit.ts';
import { createAuditLog, createAuditReader } from './audit-events-repo.ts';
import { withTransaction } from './transaction.ts';

const event = (action: string): NewAuditEvent => ({
  at: new Date('2026-11-23T10:00:00.000Z'),
  actor: 'usr_alice',
  action,
  subject: 'req_1',
  data: {},
});

forEachDialect('audit commit listeners', (ctx) => {
  const db = () => ctx.database.db;
  let seen: AuditEvent[][];
  let listener: AuditCommitListener;
  let unsubscribe: () => void;

  beforeEach(async () => {
    await ctx.reset();
    unsubscribe?.();
    seen = [];
    listener = (events) => seen.push([...events]);
    unsubscribe = onAuditCommitted(db(), listener);
  });

  test('a committed transaction reports its events once, in seq order, after the commit', async () => {
    await withTransaction(db(), async (tx) => {
      const log = createAuditLog(tx);
      await log.append(event('request.submitted'));
      await log.append(event('request.approved'));
      assert.equal(seen.length, 0, 'nothing is reported inside the transaction');
    });
    assert.deepEqual(
      seen.map((batch) => batch.map((e) => [e.seq, e.action])),
      [
        [
          [1, 'request.submitted'],
          [2, 'request.approved'],
        ],
      ],
    );
    // what was reported is what is stored
    assert.equal((await createAuditReader(db()).get(2))?.action, 'request.approved');
  });

  test('a rolled-back transaction reports nothing', async () => {
    await assert.rejects(
      withTransaction(db(), async (tx) => {
        await createAuditLog(tx).append(event('request.submitted'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(seen, []);
    assert.equal((await createAuditReader(db()).chainState()).maxStoredSeq, 0);
  });

  test('a joined (nested) transaction reports with the outer commit, once', async () => {
    await withTransaction(db(), async (tx) => {
      await createAuditLog(tx).append(event('grant.created'));
      await withTransaction(tx, async (inner) => {
        await createAuditLog(inner).append(event('grant.activated'));
      });
      assert.equal(seen.length, 0);
    });
    assert.deepEqual(
      seen.map((b) => b.map((e) => e.action)),
      [['grant.created', 'grant.activated']],
    );
  });

  test('a transaction without audit events reports nothing', async () => {
    await withTransaction(db(), async (tx) => {
      await tx.selectFrom('users').select('id').execute();
    });
    assert.deepEqual(seen, []);
  });

  test('a throwing listener neither fails the use case nor stops the other listeners; unsubscribe stops one', async () => {
    const thrower: AuditCommitListener = () => {
      throw new Error('listener bug');
    };
    const off = onAuditCommitted(db(), thrower);
    const result = await withTransaction(db(), async (tx) => {
      await createAuditLog(tx).append(event('request.submitted'));
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(seen.length, 1);
    off();
    unsubscribe();
    await withTransaction(db(), (tx) => createAuditLog(tx).append(event('request.approved')));
    assert.equal(seen.length, 1);
  });
});
