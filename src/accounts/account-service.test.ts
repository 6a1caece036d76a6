import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { accountStoreFor, auditReaderFor } from '../../test/requests/stores.ts';
import { forEachDialect } from '../../test/support/dialects.ts';
import { loadConfig } from '../config/load-config.ts';
import { createFakeClock, HOUR } from '../lib/clock.ts';
import { isBrokerError } from '../lib/errors.ts';
import { type AccountService, createAccountService } from './account-service.ts';

const ADMIN = 'email:admin@x.com';

const PROD = {
  id: '111122223333',
  name: 'Production',
  environment: 'prod',
  spokeRoleArn: 'arn:aws:iam::111122223333:role/iam-jit-spoke',
  externalId: 'ext-123',
  approvers: ['email:Bob@X.com', 'email:carol@x.com'],
  requiredApprovals: 2,
  maxDurationHours: 4,
  allowedServices: ['s3', 'ec2'],
};

function codeOf(e: unknown): string {
  return isBrokerError(e)
    ? `${e.code}:${(e.details as { field?: string } | undefined)?.field ?? ''}`
    : String(e);
}

forEachDialect('account service', (ctx) => {
  let clock: ReturnType<typeof createFakeClock>;
  let service: AccountService;
  beforeEach(async () => {
    await ctx.reset();
    clock = createFakeClock('2026-05-01T09:00:00.000Z');
    service = createAccountService({ ...accountStoreFor(ctx), clock });
  });

  test('create fills defaults, normalises approvers, and get/list read it back', async () => {
    const a = await service.create(PROD, ADMIN);
    assert.deepEqual(a.approvers, ['email:bob@x.com', 'email:carol@x.com']);
    assert.equal(a.provisioningMode, 'iam_role');
    assert.deepEqual(await service.get(PROD.id), a);
    const b = await service.create({ id: '444455556666', name: 'Dev', environment: 'NonProd' }, ADMIN);
    assert.equal(b.environment, 'nonprod');
    assert.equal(b.requiredApprovals, 1);
    assert.equal(b.maxDurationHours, null);
    assert.equal(b.allowedServices, null);
    assert.deepEqual(
      (await service.list()).map((x) => x.id),
      ['111122223333', '444455556666'],
    );
    assert.deepEqual(
      (await service.list({ after: '111122223333' })).map((x) => x.id),
      ['444455556666'],
    );
  });

  test('bad fields are refused naming the field; duplicates are AccountExists', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ id: '12345' }, 'InvalidInput:id'],
      [{ id: '11112222333a' }, 'InvalidInput:id'],
      [{ environment: 'Prod env!' }, 'InvalidInput:environment'],
      [{ provisioningMode: 'sso' }, 'InvalidInput:provisioning_mode'],
      [{ spokeRoleArn: 'arn:aws:iam::999999999999:role/x' }, 'InvalidInput:spoke_role_arn'],
      [{ externalId: 'a' }, 'InvalidInput:external_id'],
      [{ approvers: ['bob'] }, 'InvalidInput:approvers[0]'],
      [{ requiredApprovals: 0 }, 'InvalidInput:required_approvals'],
      [{ maxDurationHours: 1000 }, 'InvalidInput:max_duration_hours'],
      [{ allowedServices: ['S3!'] }, 'InvalidInput:allowed_services[0]'],
    ];
    for (const [patch, expected] of bad)
      await assert.rejects(
        service.create({ ...PROD, ...patch } as typeof PROD, ADMIN),
        (e) => codeOf(e) === expected,
      );
    await service.create(PROD, ADMIN);
    await assert.rejects(service.create(PROD, ADMIN), (e) => codeOf(e) === 'AccountExists:');
  });

  test('update changes fields and approvers; unknown accounts are NotFound', async () => {
    await service.create(PROD, ADMIN);
    clock.advance(HOUR);
    const u = await service.update(
      PROD.id,
      { approvers: ['email:dave@x.com'], allowedServices: null, name: 'Prod' },
      ADMIN,
    );
    assert.deepEqual(u.approvers, ['email:dave@x.com']);
    assert.equal(u.allowedServices, null);
    assert.equal(u.name, 'Prod');
    assert.equal(u.updatedAt.toISOString(), '2026-05-01T10:00:00.000Z');
    assert.deepEqual(await service.get(PROD.id), u);
    await assert.rejects(
      service.update('999999999999', { name: 'x' }, ADMIN),
      (e) => codeOf(e) === 'NotFound:',
    );
  });

  test('permission_set_arn is stored (both dialects), set and cleared by update, and read from iam-jit.yaml', async () => {
    const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
    const ic = {
      id: '333333333333',
      name: 'IC',
      environment: 'nonprod',
      provisioningMode: 'identity_center' as const,
    };
    assert.equal((await service.create(ic, ADMIN)).permissionSetArn, null);
    assert.equal((await service.update(ic.id, { permissionSetArn: ps }, ADMIN)).permissionSetArn, ps);
    assert.equal((await service.get(ic.id))?.permissionSetArn, ps);
    await assert.rejects(
      service.update(ic.id, { provisioningMode: 'iam_role' }, ADMIN),
      (e) => codeOf(e) === 'InvalidInput:permission_set_arn',
    );
    assert.equal((await service.update(ic.id, { permissionSetArn: null }, ADMIN)).permissionSetArn, null);
    assert.equal((await service.get(ic.id))?.permissionSetArn, null);
    const yaml = `dev_mode: true
accounts:
  - id: "333333333333"
    name: IC
    environment: nonprod
    provisioning_mode: identity_center
    permission_set_arn: ${ps}
`;
    assert.deepEqual(await service.syncFromConfig(loadConfig({}, { yamlText: yaml }).sections.accounts), {
      created: [],
      updated: ['333333333333'],
      unchanged: [],
    });
    assert.equal((await service.get(ic.id))?.permissionSetArn, ps);
    await assert.rejects(
      service.syncFromConfig(
        loadConfig({}, { yamlText: yaml.replace('identity_center', 'iam_role') }).sections.accounts,
      ),
      (e) => codeOf(e) === 'InvalidInput:accounts[0].permission_set_arn',
    );
  });

  test('syncFromConfig keeps a permission set that cannot move yet (live grants) and applies the rest', async () => {
    const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
    const yaml = (name: string, arn: string) => `dev_mode: true
accounts:
  - id: "333333333333"
    name: ${name}
    environment: nonprod
    provisioning_mode: identity_center${arn === '' ? '' : `\n    permission_set_arn: ${arn}`}
`;
    await service.syncFromConfig(loadConfig({}, { yamlText: yaml('IC', ps) }).sections.accounts);
    const at = '2026-11-23T10:00:00.000Z';
    await ctx.database.db
      .insertInto('grants')
      .values({
        id: 'grt_live',
        request_id: 'req_live',
        account_id: '333333333333',
        requester_id: 'email:alice@x.com',
        approver_ids: '[]',
        revision: 1,
        mode: 'identity_center',
        status: 'active',
        policy: '{}',
        not_before: at,
        not_after: at,
        role_name: 'iam-jit-grt_live',
        role_arn: ps,
        activated_at: at,
        ended_at: null,
        end_reason: null,
        revoked_by: null,
        revoke_reason: null,
        version: 1,
        created_at: at,
        updated_at: at,
        regions: null,
      })
      .execute();
    const result = await service.syncFromConfig(
      loadConfig({}, { yamlText: yaml('IC renamed', '') }).sections.accounts,
    );
    assert.deepEqual(result.updated, ['333333333333']);
    assert.match(
      result.kept?.[0]?.reason ?? '',
      /^permission_set_arn: account 333333333333 has grants that are pending/,
    );
    const account = await service.get('333333333333');
    assert.equal(account?.name, 'IC renamed');
    assert.equal(account?.permissionSetArn, ps);
  });

  test('remove deletes the account and its approver list', async () => {
    await service.create(PROD, ADMIN);
    await service.remove(PROD.id, ADMIN);
    assert.equal(await service.get(PROD.id), undefined);
    await assert.rejects(service.remove(PROD.id, ADMIN), (e) => codeOf(e) === 'NotFound:');
    const store = accountStoreFor(ctx);
    assert.deepEqual(await store.accounts.idsApprovedBy('email:bob@x.com'), []);
  });

  test('syncFromConfig reads the accounts: section of iam-jit.yaml (created, updated, unchanged)', async () => {
    const yaml = `dev_mode: true
accounts:
  - id: "111122223333"
    name: Production
    environment: prod
    approvers: [email:bob@x.com]
    required_approvals: 2
  - id: "444455556666"
    name: Dev
    environment: nonprod
`;
    const config = loadConfig({}, { yamlText: yaml });
    assert.deepEqual(await service.syncFromConfig(config.sections.accounts), {
      created: ['111122223333', '444455556666'],
      updated: [],
      unchanged: [],
    });
    assert.equal((await service.get('111122223333'))?.requiredApprovals, 2);
    const edited = loadConfig(
      {},
      { yamlText: yaml.replace('required_approvals: 2', 'required_approvals: 1') },
    );
    assert.deepEqual(await service.syncFromConfig(edited.sections.accounts), {
      created: [],
      updated: ['111122223333'],
      unchanged: ['444455556666'],
    });
    assert.equal((await service.get('111122223333'))?.requiredApprovals, 1);
  });

  test('writes are audited in their transaction, without the external id; refused writes leave no event', async () => {
    await service.create(PROD, ADMIN);
    await assert.rejects(service.create(PROD, ADMIN));
    await service.update(PROD.id, { name: 'Prod' }, ADMIN);
    await service.remove(PROD.id, ADMIN);
    const records = await auditReaderFor(ctx).list({ subject: PROD.id }, 0, 100);
    assert.deepEqual(
      records.map((r) => [r.action, r.actor]),
      [
        ['account.created', ADMIN],
        ['account.updated', ADMIN],
        ['account.deleted', ADMIN],
      ],
    );
    assert.ok(records.every((r) => !r.data.includes('ext-123')));
    await service.syncFromConfig([{ id: '444455556666', name: 'Dev', environment: 'nonprod' }]);
    const synced = await auditReaderFor(ctx).list({ subject: '444455556666' }, 0, 10);
    assert.deepEqual(
      synced.map((r) => [r.action, r.actor]),
      [['account.created', 'system']],
    );
  });

  test('syncFromConfig refuses bad entries with their YAML path and writes nothing', async () => {
    const cases: [string, string][] = [
      ['- { id: "111122223333", name: P, environment: prod, aprovers: [] }', 'accounts[0].aprovers'],
      ['- { id: 111122223333, name: P, environment: prod }', 'accounts[0].id'],
      ['- { id: "111122223333", name: P, environment: prod, approvers: [bob] }', 'accounts[0].approvers[0]'],
      [
        '- { id: "111122223333", name: P, environment: prod }\n- { id: "111122223333", name: Q, environment: prod }',
        'accounts[1].id',
      ],
    ];
    for (const [text, field] of cases)
      await assert.rejects(
        service.syncFromConfig(parseYaml(text)),
        (e) => isBrokerError(e, 'InvalidInput') && (e.details as { field: string }).field === field,
        text,
      );
    assert.deepEqual(await service.list(), []);
  });
});
