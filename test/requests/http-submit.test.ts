// Accounts, submissions, preview, analyze and draft over a real socket on both dialects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, list, type TestServer } from '../http/harness.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type SeededUser, seedUser } from '../support/identity-fixtures.ts';
import { startRequestServer } from './http-harness.ts';

const PROD = '111122223333';
const DEV = '444455556666';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }],
};

forEachDialect('HTTP accounts and submissions', (ctx) => {
  let server: TestServer;
  let alice: SeededUser;
  let bob: SeededUser;
  let admin: SeededUser;
  before(async () => {
    server = await startRequestServer(ctx.database);
    alice = await seedUser(ctx.database, { id: 'email:alice@x.com' });
    bob = await seedUser(ctx.database, { id: 'email:bob@x.com', roles: ['requester', 'approver'] });
    admin = await seedUser(ctx.database, { id: 'email:admin@x.com', roles: ['admin'] });
    for (const body of [
      {
        id: PROD,
        name: 'Prod',
        environment: 'prod',
        approvers: [bob.user.id],
        external_id: 'secret-ext',
        max_duration_hours: 4,
      },
      { id: DEV, name: 'Dev', environment: 'nonprod', approvers: [bob.user.id] },
    ]) {
      const r = await call(server, 'POST', '/api/v1/accounts', { token: admin.token, body });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(() => server.close());

  test('accounts: admin-only writes, readable by everyone without the external id', async () => {
    for (const who of [alice, bob]) {
      const r = await call(server, 'POST', '/api/v1/accounts', {
        token: who.token,
        body: { id: '999988887777', name: 'X', environment: 'prod' },
      });
      assert.equal(r.status, 403);
      assert.equal(r.body.error?.message, 'admin role required');
      assert.equal(
        (await call(server, 'DELETE', `/api/v1/accounts/${DEV}`, { token: who.token })).status,
        403,
      );
    }
    const seen = await call(server, 'GET', `/api/v1/accounts/${PROD}`, { token: alice.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.external_id, undefined);
    assert.equal(
      (await call(server, 'GET', `/api/v1/accounts/${PROD}`, { token: admin.token })).body.external_id,
      'secret-ext',
    );
    const all = await call(server, 'GET', '/api/v1/accounts', { token: alice.token });
    assert.deepEqual(
      list(all.body.accounts).map((a) => a.id),
      [PROD, DEV].sort(),
    );
    assert.equal(
      (await call(server, 'GET', '/api/v1/accounts/000000000000', { token: admin.token })).status,
      404,
    );
  });

  test('accounts: bad input 400 naming the field, duplicates 409, patch, delete in use 409', async () => {
    const bad = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: { id: '12345', name: 'X', environment: 'prod' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.details?.field, 'id');
    const typo = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: { id: '999988887777', name: 'X', environment: 'prod', aprovers: [] },
    });
    assert.equal(typo.status, 400);
    const dup = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: { id: PROD, name: 'X', environment: 'prod' },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error?.code, 'AccountExists');
    const created = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: { id: '999988887777', name: 'Tmp', environment: 'sandbox' },
    });
    assert.equal(created.status, 201);
    const patched = await call(server, 'PATCH', '/api/v1/accounts/999988887777', {
      token: admin.token,
      body: { required_approvals: 2, allowed_services: ['s3'] },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.required_approvals, 2);
    assert.equal(
      (await call(server, 'DELETE', '/api/v1/accounts/999988887777', { token: admin.token })).status,
      204,
    );
    await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { account_ids: [DEV], policy: POLICY, justification: 'j', duration_hours: 1 },
    });
    const inUse = await call(server, 'DELETE', `/api/v1/accounts/${DEV}`, { token: admin.token });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.error?.code, 'AccountInUse');
  });

  test('accounts: permission_set_arn is created, shown, patched and cleared; 400 naming it when invalid', async () => {
    const ps = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
    const created = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: {
        id: '999988887777',
        name: 'IC',
        environment: 'nonprod',
        provisioning_mode: 'identity_center',
        permission_set_arn: ps,
      },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.permission_set_arn, ps);
    const seen = await call(server, 'GET', '/api/v1/accounts/999988887777', { token: alice.token });
    assert.equal(seen.body.permission_set_arn, ps);
    const notAnArn = await call(server, 'PATCH', '/api/v1/accounts/999988887777', {
      token: admin.token,
      body: { permission_set_arn: 'arn:aws:iam::999988887777:role/ReadOnly' },
    });
    assert.equal(notAnArn.status, 400);
    assert.equal(notAnArn.body.error?.code, 'InvalidInput');
    assert.equal(notAnArn.body.error?.details?.field, 'permission_set_arn');
    assert.equal(
      notAnArn.body.error?.message,
      'permission_set_arn: must be an IAM Identity Center permission set ARN (arn:aws:sso:::permissionSet/ssoins-…/ps-…)',
    );
    const wrongMode = await call(server, 'PATCH', '/api/v1/accounts/999988887777', {
      token: admin.token,
      body: { provisioning_mode: 'iam_role' },
    });
    assert.equal(wrongMode.status, 400);
    assert.equal(
      wrongMode.body.error?.message,
      'permission_set_arn: is only valid when provisioning_mode is identity_center',
    );
    const onRole = await call(server, 'POST', '/api/v1/accounts', {
      token: admin.token,
      body: { id: '999988887776', name: 'Role', environment: 'nonprod', permission_set_arn: ps },
    });
    assert.equal(onRole.status, 400);
    assert.equal(onRole.body.error?.details?.field, 'permission_set_arn');
    const cleared = await call(server, 'PATCH', '/api/v1/accounts/999988887777', {
      token: admin.token,
      body: { permission_set_arn: null },
    });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.permission_set_arn, null);
    assert.equal(
      (await call(server, 'GET', `/api/v1/accounts/${PROD}`, { token: admin.token })).body.permission_set_arn,
      null,
    );
  });

  test('submit from actions: 201 with the drafted policy, findings and risk review on revision 1', async () => {
    const r = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: {
        account_ids: [PROD],
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::orders/*'],
        justification: 'INC-1 debugging',
        duration_hours: 2,
      },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.request?.status, 'pending');
    assert.equal(r.body.request?.requester_id, alice.user.id);
    const rev = list(r.body.revisions)[0];
    assert.equal(rev?.number, 1);
    assert.equal(rev?.source?.type, 'actions');
    assert.equal(rev?.risk?.environment, 'prod');
    assert.equal(typeof rev?.risk?.score, 'number');
    assert.ok(Array.isArray(rev?.findings));
    assert.deepEqual(
      list(r.body.events).map((e) => e.type),
      ['submitted'],
    );
  });

  test('RoleRequest documents as JSON and YAML; unknown fields 400 with their path', async () => {
    const doc = {
      apiVersion: 'iam-jit.dev/v1alpha1',
      kind: 'RoleRequest',
      spec: {
        accounts: [DEV],
        duration: '90m',
        policy: POLICY,
        description: 'from a GitOps repo',
        ticket: 'OPS-1',
      },
    };
    const json = await call(server, 'POST', '/api/v1/requests', { token: alice.token, body: doc });
    assert.equal(json.status, 201, json.text);
    assert.equal(json.body.request?.duration_hours, 1.5);
    assert.equal(json.body.request?.ticket, 'OPS-1');
    const yaml = `apiVersion: iam-jit.dev/v1alpha1
kind: RoleRequest
spec:
  accounts: ["${DEV}"]
  duration: 1h
  access_type: read-only
  description: yaml request
  task_intent: { service: s3, access_levels: [List] }
`;
    const y = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: yaml,
      headers: { 'content-type': 'application/yaml' },
    });
    assert.equal(y.status, 201, y.text);
    assert.equal(y.body.request?.access_type, 'read-only');
    const unknown = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...doc, spec: { ...doc.spec, durration: '1h' } },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error?.details?.field, 'spec.durration');
    const top = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: yaml.replace('kind: RoleRequest', 'kind: RoleRequest\nstatus: x'),
      headers: { 'content-type': 'application/yaml' },
    });
    assert.equal(top.status, 400);
    assert.equal(top.body.error?.details?.field, 'status');
  });

  test('submission errors: 422 with findings, unknown account, duration; 400 for shape; 413 for huge policies', async () => {
    const base = { account_ids: [DEV], justification: 'j', duration_hours: 1 };
    const invalid = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: {
        ...base,
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' }],
        },
      },
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error?.code, 'PolicyInvalid');
    assert.ok(list(invalid.body.error?.details?.findings).some((f) => String(f.severity) === 'error'));
    const unknown = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, account_ids: ['000011112222'], policy: POLICY },
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error?.code, 'UnknownAccount');
    const long = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, account_ids: [PROD], duration_hours: 5, policy: POLICY },
    });
    assert.equal(long.status, 422);
    assert.equal(long.body.error?.code, 'DurationExceedsMax');
    assert.equal(long.body.error?.details?.max_hours, 4);
    const two = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, policy: POLICY, actions: ['s3:GetObject'] },
    });
    assert.equal(two.status, 400);
    assert.equal(two.body.error?.details?.field, 'policy');
    const wrongType = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, policy: POLICY, duration_hours: 'two' },
    });
    assert.equal(wrongType.status, 400);
    assert.match(String(wrongType.body.error?.message), /duration_hours/);
    const extra = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, policy: POLICY, colour: 'red' },
    });
    assert.equal(extra.status, 400);
    const huge = await call(server, 'POST', '/api/v1/requests', {
      token: alice.token,
      body: { ...base, policy: { ...POLICY, Id: 'x'.repeat(70_000) } },
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error?.code, 'PolicyTooLarge');
    const anon = await call(server, 'POST', '/api/v1/requests', { body: { ...base, policy: POLICY } });
    assert.equal(anon.status, 401);
  });

  test('Idempotency-Key: a replayed submission returns the first result and creates nothing new', async () => {
    const body = { account_ids: [DEV], policy: POLICY, justification: 'replayed', duration_hours: 1 };
    const headers = { 'idempotency-key': 'submit-once-1' };
    const first = await call(server, 'POST', '/api/v1/requests', { token: alice.token, body, headers });
    const again = await call(server, 'POST', '/api/v1/requests', { token: alice.token, body, headers });
    assert.equal(first.status, 201, first.text);
    assert.equal(again.status, 201);
    assert.equal(again.body.request?.id, first.body.request?.id);
    const mine = list((await call(server, 'GET', '/api/v1/requests', { token: alice.token })).body.requests);
    assert.equal(mine.filter((r) => String(r.justification) === 'replayed').length, 1);
  });

  test('submitting needs the requester role (admins hold every role)', async () => {
    const approverOnly = await seedUser(ctx.database, { id: 'email:dave@x.com', roles: ['approver'] });
    const body = { account_ids: [DEV], policy: POLICY, justification: 'j', duration_hours: 1 };
    const r = await call(server, 'POST', '/api/v1/requests', { token: approverOnly.token, body });
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.message, 'requester role required');
    assert.equal((await call(server, 'POST', '/api/v1/requests', { token: admin.token, body })).status, 201);
  });

  test('preview: findings, risk, draft and would_auto_approve, without creating a request', async () => {
    const before = list(
      (await call(server, 'GET', '/api/v1/requests', { token: bob.token })).body.requests,
    ).length;
    const r = await call(server, 'POST', '/api/v1/requests/preview', {
      token: bob.token,
      body: {
        account_ids: [PROD],
        service: 's3',
        access_levels: ['Read'],
        justification: 'j',
        duration_hours: 1,
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.valid, true);
    assert.equal(r.body.would_auto_approve, false);
    assert.equal(r.body.risk?.environment, 'prod');
    assert.ok(Array.isArray(r.body.policy?.Statement));
    const after = list(
      (await call(server, 'GET', '/api/v1/requests', { token: bob.token })).body.requests,
    ).length;
    assert.equal(after, before);
  });

  test('analyze scores identity and trust policies; draft returns a policy or 422 with findings', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
    };
    const t = await call(server, 'POST', '/api/v1/analyze', { token: alice.token, body: { policy: trust } });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body.kind, 'trust');
    assert.ok(Number(t.body.risk?.score) >= 7, t.text);
    const i = await call(server, 'POST', '/api/v1/analyze', {
      token: alice.token,
      body: { policy: JSON.stringify(POLICY), kind: 'identity', environment: 'prod' },
    });
    assert.equal(i.status, 200);
    assert.equal(i.body.kind, 'identity');
    const broken = await call(server, 'POST', '/api/v1/analyze', {
      token: alice.token,
      body: { policy: '{"Version":' },
    });
    assert.equal(broken.status, 200);
    assert.equal(broken.body.risk, null);
    assert.equal(list(broken.body.findings)[0]?.code, 'JSON_SYNTAX_ERROR');
    const d = await call(server, 'POST', '/api/v1/draft', {
      token: alice.token,
      body: { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::orders/*'] },
    });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.policy?.Version, '2012-10-17');
    const bad = await call(server, 'POST', '/api/v1/draft', {
      token: alice.token,
      body: { actions: ['s3:Nope'] },
    });
    assert.equal(bad.status, 422);
    assert.equal(list(bad.body.error?.details?.findings)[0]?.code, 'UnknownAction');
  });

  test('the OpenAPI document describes every route of this issue from the same zod schemas', async () => {
    const doc = await call(server, 'GET', '/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    const paths = Object.keys(doc.body.paths ?? {});
    for (const p of [
      '/api/v1/accounts',
      '/api/v1/accounts/{account_id}',
      '/api/v1/requests',
      '/api/v1/requests/preview',
      '/api/v1/requests/pending',
      '/api/v1/requests/{id}',
      '/api/v1/requests/{id}/approve',
      '/api/v1/requests/{id}/reject',
      '/api/v1/requests/{id}/request-changes',
      '/api/v1/requests/{id}/cancel',
      '/api/v1/requests/{id}/resubmit',
      '/api/v1/requests/{id}/comments',
      '/api/v1/analyze',
      '/api/v1/draft',
    ])
      assert.ok(paths.includes(p), p);
    assert.ok(doc.body.components?.schemas?.SubmitRequest);
  });

  test('the request knobs reach the API: max and default duration, justification, approval timeout', async () => {
    const knobs = await startRequestServer(ctx.database, {
      env: {
        IAM_JIT_MAX_DURATION_HOURS: '2',
        IAM_JIT_DEFAULT_DURATION_HOURS: '2',
        IAM_JIT_REQUIRE_JUSTIFICATION: 'false',
        IAM_JIT_APPROVAL_TIMEOUT_HOURS: '3',
      },
    });
    try {
      const ok = await call(knobs, 'POST', '/api/v1/requests', {
        token: bob.token,
        body: { account_ids: [DEV], policy: POLICY },
      });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.request?.duration_hours, 2);
      assert.equal(ok.body.request?.justification, '');
      const created = Date.parse(String(ok.body.request?.created_at));
      assert.equal(Date.parse(String(ok.body.request?.approval_deadline)) - created, 3 * 3600 * 1000);
      const long = await call(knobs, 'POST', '/api/v1/requests', {
        token: bob.token,
        body: { account_ids: [DEV], policy: POLICY, duration_hours: 3 },
      });
      assert.equal(long.status, 422);
      assert.equal(long.body.error?.details?.max_hours, 2);
      await call(knobs, 'POST', `/api/v1/requests/${ok.body.request?.id}/cancel`, { token: bob.token });
    } finally {
      await knobs.close();
    }
    const strict = await call(server, 'POST', '/api/v1/requests', {
      token: bob.token,
      body: { account_ids: [DEV], policy: POLICY },
    });
    assert.equal(strict.status, 400);
    assert.equal(strict.body.error?.details?.field, 'justification');
  });

  test('the per-user cap answers 429 with Retry-After (IAM_JIT_MAX_OPEN_REQUESTS_PER_USER)', async () => {
    const capped = await startRequestServer(ctx.database, {
      env: { IAM_JIT_MAX_OPEN_REQUESTS_PER_USER: '1' },
    });
    try {
      const body = { account_ids: [DEV], policy: POLICY, justification: 'j', duration_hours: 1 };
      const first = await call(capped, 'POST', '/api/v1/requests', { token: bob.token, body });
      assert.equal(first.status, 201, first.text);
      const second = await call(capped, 'POST', '/api/v1/requests', { token: bob.token, body });
      assert.equal(second.status, 429);
      assert.equal(second.body.error?.code, 'TooManyOpenRequests');
      assert.equal(second.headers.get('retry-after'), '60');
    } finally {
      await capped.close();
    }
  });
});
