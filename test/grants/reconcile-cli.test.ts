// `iam-jit reconcile` through the real server (POST /api/v1/reconcile, admin) against the emulator, on both
// dialects: --dry-run reports and changes nothing; a real run removes the orphan and handles drift per
// IAM_JIT_RECONCILE_DRIFT_ACTION (repair, revoke through the grant's revocation job, report); every finding and the
// run itself are in the audit log; non-admins are refused.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { Command } from 'commander';
import { registerReconcileCommand } from '../../src/cli/reconcile-command.ts';
import { forEachDialect } from '../support/dialects.ts';
import type { SeededUser } from '../support/identity-fixtures.ts';
import { type AppHarness, startAppHarness } from './app-harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};
const ORPHAN = 'iam-jit-grt_nosuchgrant0000000000';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
  ],
});

forEachDialect('iam-jit reconcile', (ctx) => {
  let h: AppHarness;
  afterEach(() => h.close());

  async function cli(args: string[], who: SeededUser) {
    const out: string[] = [];
    const err: string[] = [];
    const state = { exitCode: 0 };
    const program = new Command().exitOverride();
    registerReconcileCommand(program, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, state, {
      env: { IAM_JIT_BASE_URL: 'http://iam-jit.test', IAM_JIT_API_TOKEN: who.token },
      fetch: (req) => Promise.resolve(h.app.fetch(req)),
    });
    await program.parseAsync(['reconcile', ...args], { from: 'user' });
    return { out: out.join(''), err: err.join(''), code: state.exitCode };
  }

  /** An active grant whose policy was widened by hand, and an orphan role under /iam-jit/. */
  async function drifted() {
    const { requestId, grant } = await h.grantFor({
      account_ids: ['222222222222'],
      justification: 'debug',
      duration_hours: 2,
      policy: POLICY,
    });
    const iam = h.spokeAdmin.iam;
    await iam.send(
      new CreateRoleCommand({
        RoleName: ORPHAN,
        Path: '/iam-jit/',
        AssumeRolePolicyDocument: TRUST,
        Tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: grant.role_name as string,
        PolicyName: 'iam-jit-grant',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    return { requestId, grantId: grant.id as string, roleName: grant.role_name as string };
  }
  const exists = (name: string) =>
    h.spokeAdmin.iam.send(new GetRoleCommand({ RoleName: name })).then(
      () => true,
      () => false,
    );

  test('dry run reports; the real run removes the orphan and repairs drift; all audited; admins only', async () => {
    await ctx.reset();
    h = await startAppHarness(ctx);
    const { grantId, roleName } = await drifted();
    const { root, bob } = h.users;

    const dry = await cli(['--dry-run'], root);
    assert.equal(dry.code, 0, dry.err);
    assert.equal(
      dry.out,
      'dry run: 2 finding(s)\n' +
        `222222222222  orphan_role         ${ORPHAN}  -  would revoke\n` +
        `222222222222  policy_drift        ${roleName}  ${grantId}  would repair\n`,
    );
    assert.equal(await exists(ORPHAN), true);

    const real = await cli(['--json'], root);
    assert.equal(real.code, 0, real.err);
    assert.deepEqual(JSON.parse(real.out), {
      dry_run: false,
      findings: [
        {
          account_id: '222222222222',
          kind: 'orphan_role',
          role_name: ORPHAN,
          grant_id: null,
          outcome: 'revoked',
        },
        {
          account_id: '222222222222',
          kind: 'policy_drift',
          role_name: roleName,
          grant_id: grantId,
          outcome: 'repaired',
        },
      ],
    });
    assert.equal(await exists(ORPHAN), false);
    assert.equal((await cli([], root)).out, '0 finding(s)\n');

    const audit = await h.call('GET', `/api/v1/audit?actor=${encodeURIComponent(root.user.id)}`, root);
    const events = audit.body.events as {
      action: string;
      subject: string | null;
      data: { outcome?: string };
    }[];
    // Only the reconciler's rows: sign-in and token minting are audited too (issue 7).
    assert.deepEqual(
      events
        .filter((e) => e.action.startsWith('reconcile.'))
        .map((e) => [e.action, e.subject, e.data.outcome ?? null]),
      [
        ['reconcile.orphan_role', ORPHAN, 'would revoke'],
        ['reconcile.policy_drift', grantId, 'would repair'],
        ['reconcile.run', null, null],
        ['reconcile.orphan_role', ORPHAN, 'revoked'],
        ['reconcile.policy_drift', grantId, 'repaired'],
        ['reconcile.run', null, null],
        ['reconcile.run', null, null],
      ],
    );

    const refused = await cli([], bob);
    assert.equal(refused.code, 1);
    assert.equal(refused.err, 'Forbidden: admin role required\n');
  });

  test('IAM_JIT_RECONCILE_DRIFT_ACTION=revoke ends the drifted grant and its request; report only records', async () => {
    await ctx.reset();
    h = await startAppHarness(ctx, { env: { IAM_JIT_RECONCILE_DRIFT_ACTION: 'revoke' } });
    const { requestId, grantId, roleName } = await drifted();
    const run = await cli(['--json'], h.users.root);
    assert.deepEqual(
      (JSON.parse(run.out) as { findings: { kind: string; outcome: string }[] }).findings.map((f) => [
        f.kind,
        f.outcome,
      ]),
      [
        ['orphan_role', 'revoked'],
        ['policy_drift', 'revoking'],
      ],
    );
    await h.runDue();
    const grant = await h.call('GET', `/api/v1/grants/${grantId}`, h.users.alice);
    assert.equal(grant.body.status, 'revoked');
    assert.equal(grant.body.revoke_reason, 'reconciler: policy_drift');
    assert.equal(await exists(roleName), false);
    const request = await h.call('GET', `/api/v1/requests/${requestId}`, h.users.alice);
    assert.equal((request.body.request as Record<string, unknown>).status, 'revoked');
    await h.close();

    await ctx.reset();
    h = await startAppHarness(ctx, { env: { IAM_JIT_RECONCILE_DRIFT_ACTION: 'report' } });
    const second = await drifted();
    const reported = await cli([], h.users.root);
    assert.match(
      reported.out,
      new RegExp(`policy_drift +${second.roleName}  ${second.grantId}  reported\\n`),
    );
    const again = await cli([], h.users.root);
    assert.match(again.out, /^1 finding\(s\)\n.*policy_drift.*reported\n$/);
  });
});
