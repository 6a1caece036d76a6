// Regions end to end (both dialects, SDK v3 against the emulator, which evaluates aws:RequestedRegion from the
// SigV4 signing region): a request naming regions is stored and planned with them; the role's policy limits every
// regional statement with StringEquals aws:RequestedRegion while global-service actions (IAM) stay usable; vended
// credentials work in the allowed region and get AccessDenied in another. AWS: IAM User Guide, "AWS global condition
// context keys: aws:RequestedRegion" and "AWS: Denies access to AWS based on the requested Region".
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { GetRolePolicyCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { forEachDialect } from '../support/dialects.ts';
import { type AppHarness, startAppHarness } from './app-harness.ts';

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Work', Effect: 'Allow', Action: ['sso:ListInstances', 'iam:ListRoles'], Resource: '*' },
  ],
};

forEachDialect('grants: regions', (ctx) => {
  let h: AppHarness;
  beforeEach(async () => {
    await ctx.reset();
    h = await startAppHarness(ctx);
  });
  afterEach(() => h.close());

  test('regions are enforced with aws:RequestedRegion: allowed region works, another is denied, IAM stays usable', async () => {
    const bad = await h.call('POST', '/api/v1/requests', h.users.alice, {
      account_ids: ['222222222222'],
      justification: 'x',
      policy: POLICY,
      regions: ['Europe'],
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error, {
      code: 'InvalidInput',
      message: 'regions[0]: must be a region code such as eu-west-1',
      details: { field: 'regions[0]' },
    });

    const submitted = await h.call('POST', '/api/v1/requests', h.users.alice, {
      account_ids: ['222222222222'],
      justification: 'inventory',
      duration_hours: 2,
      policy: POLICY,
      regions: ['eu-west-1', 'eu-central-1', 'eu-west-1'],
    });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    const request = submitted.body.request as Record<string, unknown>;
    assert.deepEqual(request.regions, ['eu-central-1', 'eu-west-1']);
    assert.equal(request.extends_grant_id, null);
    const plan = await h.call('GET', `/api/v1/requests/${request.id as string}/plan`, h.users.bob);
    const [acct] = plan.body.accounts as {
      regions: string[];
      steps: { description: string; command: string }[];
    }[];
    assert.deepEqual(acct?.regions, ['eu-central-1', 'eu-west-1']);
    assert.match(
      acct?.steps[2]?.description ?? '',
      /except global-service actions\) to eu-central-1, eu-west-1$/,
    );
    assert.match(acct?.steps[2]?.command ?? '', /"aws:RequestedRegion":\["eu-central-1","eu-west-1"\]/);

    assert.equal(
      (await h.call('POST', `/api/v1/requests/${request.id as string}/approve`, h.users.bob, {})).status,
      200,
    );
    await h.runDue();
    const grant = (
      (await h.call('GET', `/api/v1/grants?request_id=${request.id as string}`, h.users.alice)).body
        .items as Record<string, unknown>[]
    )[0];
    assert.equal(grant?.status, 'active');
    assert.deepEqual(grant?.regions, ['eu-central-1', 'eu-west-1']);
    const doc = await h.spokeAdmin.iam.send(
      new GetRolePolicyCommand({ RoleName: grant?.role_name as string, PolicyName: 'iam-jit-grant' }),
    );
    const until = { 'aws:CurrentTime': grant?.not_after };
    assert.deepEqual(JSON.parse(decodeURIComponent(doc.PolicyDocument ?? '')), {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'WorkGlobal',
          Effect: 'Allow',
          Action: ['iam:ListRoles'],
          Resource: '*',
          Condition: { DateLessThan: until },
        },
        {
          Sid: 'Work',
          Effect: 'Allow',
          Action: ['sso:ListInstances'],
          Resource: '*',
          Condition: {
            DateLessThan: until,
            StringEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] },
          },
        },
      ],
    });

    const creds = await h.call('GET', `/api/v1/grants/${grant?.id as string}/credentials`, h.users.alice);
    assert.equal(creds.status, 200);
    const credentials = {
      accessKeyId: creds.body.AccessKeyId as string,
      secretAccessKey: creds.body.SecretAccessKey as string,
      sessionToken: creds.body.SessionToken as string,
    };
    const sso = (region: string) =>
      new SSOAdminClient({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
    const listed = await sso('eu-west-1').send(new ListInstancesCommand({}));
    assert.ok(Array.isArray(listed.Instances));
    await assert.rejects(sso('us-west-2').send(new ListInstancesCommand({})), (e: Error) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, /not authorized to perform: sso:ListInstances/);
      return true;
    });
    // IAM is global (its requests are signed for us-east-1): its actions are not region-limited.
    const iam = new IAMClient({ endpoint: h.aws.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    assert.ok((await iam.send(new ListRolesCommand({}))).Roles);
  });
});
