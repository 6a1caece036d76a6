// Extension requests through the API against the emulator (both dialects): the grant's requester asks for more
// time, which makes a request approvers decide on under the account's quorum and the self-approval ban; approval
// moves not_after, rewrites the role's trust and policy time bounds and its expires-at tag, and reschedules the expiry;
// the extension request ends with the grant; a pending one is cancelled when the grant ends first. An approver may
// still extend directly (audited).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { forEachDialect } from '../support/dialects.ts';
import { type AppHarness, startAppHarness } from './app-harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
};
const SUBMIT = {
  account_ids: ['222222222222'],
  justification: 'migration',
  duration_hours: 2,
  policy: POLICY,
};

forEachDialect('grants: extension requests', (ctx) => {
  let h: AppHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startAppHarness(ctx, { quorum: 2 });
  });
  afterEach(() => h.close());

  const requestOf = async (id: string) =>
    (await h.call('GET', `/api/v1/requests/${id}`, h.users.alice)).body as {
      request: Record<string, unknown>;
      events: { type: string; to_status: string }[];
    };
  const grantOf = async (id: string) => (await h.call('GET', `/api/v1/grants/${id}`, h.users.alice)).body;
  async function roleTimes(roleName: string) {
    const iam = h.spokeAdmin.iam;
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'iam-jit-grant' }),
    );
    const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '')) as {
      Statement: { Condition: { DateLessThan: { 'aws:CurrentTime': string } } }[];
    };
    const inline = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '')) as typeof trust;
    return {
      trust: trust.Statement.map((s) => s.Condition.DateLessThan['aws:CurrentTime']),
      policy: inline.Statement.map((s) => s.Condition.DateLessThan['aws:CurrentTime']),
      tag: role?.Tags?.find((t) => t.Key === 'iam-jit:expires-at')?.Value,
      maxSession: role?.MaxSessionDuration,
    };
  }

  test('requester asks, two approvers approve (not the requester), the grant and its role move, expiry follows', async () => {
    const { grant } = await h.grantFor(SUBMIT);
    const grantId = grant.id as string;
    const roleName = grant.role_name as string;
    const oldEnd = grant.not_after as string;
    const newEnd = new Date(new Date(oldEnd).getTime() + 3 * HOUR).toISOString();

    const noReason = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.alice, { hours: 3 });
    assert.equal(noReason.status, 400);
    const tooLong = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.alice, {
      hours: 11,
      reason: 'a lot',
    });
    assert.equal(tooLong.status, 422);
    assert.equal((tooLong.body.error as { code: string }).code, 'DurationExceedsMax');

    const asked = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.alice, {
      hours: 3,
      reason: 'the migration runs long',
    });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal(asked.body.status, 'pending');
    assert.equal((asked.body.grant as Record<string, unknown>).not_after, oldEnd);
    const extId = asked.body.extension_request_id as string;
    const ext = await requestOf(extId);
    assert.deepEqual(
      [
        ext.request.status,
        ext.request.extends_grant_id,
        ext.request.duration_hours,
        ext.request.justification,
      ],
      ['pending', grantId, 3, 'the migration runs long'],
    );
    assert.deepEqual(ext.request.account_ids, ['222222222222']);

    // The plan shows the calls approval makes: trust and policy rewritten with the new end.
    const plan = await h.call('GET', `/api/v1/requests/${extId}/plan`, h.users.bob);
    const [acct] = plan.body.accounts as {
      not_after: string;
      steps: { command: string }[];
      problems: string[];
    }[];
    assert.equal(acct?.not_after, newEnd);
    assert.deepEqual(acct?.problems, []);
    assert.deepEqual(
      acct?.steps.map((s) => s.command.split(' ').slice(0, 3).join(' ')),
      [
        'aws sts assume-role',
        'aws iam update-assume-role-policy',
        'aws iam put-role-policy',
        'aws iam tag-role',
      ],
    );
    assert.match(acct?.steps[2]?.command ?? '', new RegExp(`"aws:CurrentTime":"${newEnd}"`));

    // Same rules as any request: the requester cannot approve it; one approval is not the quorum of two.
    const self = await h.call('POST', `/api/v1/requests/${extId}/approve`, h.users.alice, {});
    assert.equal(self.status, 403);
    assert.deepEqual(self.body.error, { code: 'Forbidden', message: 'approver role required' });
    assert.equal((await h.call('POST', `/api/v1/requests/${extId}/approve`, h.users.bob, {})).status, 200);
    assert.equal((await requestOf(extId)).request.status, 'pending');
    assert.equal((await grantOf(grantId)).not_after, oldEnd);
    assert.equal((await h.call('POST', `/api/v1/requests/${extId}/approve`, h.users.carol, {})).status, 200);

    const after = await requestOf(extId);
    assert.equal(after.request.status, 'active');
    assert.deepEqual(
      after.events.map((e) => e.type),
      ['submitted', 'approved', 'approved', 'activated'],
    );
    assert.equal((await grantOf(grantId)).not_after, newEnd);
    await h.runDue(); // grant.refresh
    assert.deepEqual(await roleTimes(roleName), {
      trust: [newEnd],
      policy: [newEnd],
      tag: newEnd,
      maxSession: 3600,
    });
    const audit = await h.call('GET', `/api/v1/audit?subject=${grantId}`, h.users.root);
    const events = audit.body.events as { action: string; actor: string; data: Record<string, unknown> }[];
    assert.deepEqual(
      events
        .filter((e) => e.action.startsWith('grant.exten'))
        .map((e) => [e.action, e.actor, e.data.request_id, e.data.to ?? null]),
      [
        ['grant.extension_requested', h.users.alice.user.id, extId, null],
        ['grant.extended', h.users.carol.user.id, extId, newEnd],
      ],
    );

    // The old end passes: still active. The new end: expired, and the extension request with it.
    h.clock.set(new Date(new Date(oldEnd).getTime() + MINUTE));
    await h.runDue();
    assert.equal((await grantOf(grantId)).status, 'active');
    // The emulator checks the trust policy's aws:CurrentTime: vending works only because it was rewritten.
    const creds = await h.call('GET', `/api/v1/grants/${grantId}/credentials`, h.users.alice);
    assert.equal(creds.status, 200, JSON.stringify(creds.body));
    h.clock.set(new Date(newEnd));
    await h.runDue();
    assert.equal((await grantOf(grantId)).status, 'expired');
    const ended = await requestOf(extId);
    assert.equal(ended.request.status, 'expired');
    assert.deepEqual(ended.events.at(-1), { ...ended.events.at(-1), type: 'expired', to_status: 'expired' });
  });

  test('a pending extension is cancelled when the grant ends first; approvers still extend directly', async () => {
    const { grant } = await h.grantFor(SUBMIT);
    const grantId = grant.id as string;
    const direct = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.bob, {
      hours: 1,
      reason: 'on call asked',
    });
    assert.equal(direct.status, 200);
    const end = new Date(new Date(grant.not_after as string).getTime() + HOUR).toISOString();
    assert.equal(direct.body.not_after, end);
    const outsider = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.eve, {
      hours: 1,
      reason: 'x',
    });
    assert.equal(outsider.status, 404);

    const asked = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.alice, {
      hours: 1,
      reason: 'more',
    });
    const extId = asked.body.extension_request_id as string;
    assert.equal(
      (await h.call('POST', `/api/v1/grants/${grantId}/revoke`, h.users.alice, { reason: 'done early' }))
        .status,
      202,
    );
    await h.runDue();
    const cancelled = await requestOf(extId);
    assert.equal(cancelled.request.status, 'cancelled');
    assert.equal(cancelled.events.at(-1)?.type, 'cancelled');
    const late = await h.call('POST', `/api/v1/grants/${grantId}/extend`, h.users.alice, {
      hours: 1,
      reason: 'x',
    });
    assert.equal(late.status, 409);
  });
});
