import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { forEachDialect } from '../../test/support/dialects.ts';
import { runShaped } from './shaped-query.ts';

forEachDialect('shaped queries', (ctx) => {
  beforeEach(() => ctx.reset());

  test('compiled once, run with each call’s own parameters; a mismatched parameter count is refused', async () => {
    const { db, dialect } = ctx.database;
    const at = '2026-05-01T09:00:00.000Z';
    for (const id of ['email:a@x.com', 'email:b@x.com'])
      await db
        .insertInto('users')
        .values({
          id,
          display_name: id,
          is_requester: 1,
          is_approver: 0,
          is_admin: 0,
          enabled: 1,
          created_at: at,
          updated_at: at,
        })
        .execute();
    const byId = (id: string) =>
      runShaped(
        db,
        dialect,
        'test.users.by_id',
        () => db.selectFrom('users').select('id').where('id', '=', id),
        [id],
      );
    assert.deepEqual(await byId('email:a@x.com'), [{ id: 'email:a@x.com' }]);
    assert.deepEqual(await byId('email:b@x.com'), [{ id: 'email:b@x.com' }]);
    assert.deepEqual(await byId('email:nobody@x.com'), []);
    await assert.rejects(
      runShaped(
        db,
        dialect,
        'test.users.two',
        () => db.selectFrom('users').select('id').where('id', 'in', ['x', 'y']),
        ['x'],
      ),
      /binds 2 parameters, not 1/,
    );
  });
});
