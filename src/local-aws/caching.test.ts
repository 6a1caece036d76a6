// The emulator caches derived SigV4 signing keys (per secret, date, region, service) and parsed policy documents (per
// text). These tests show a cache never answers with a stale decision: a changed secret, a changed policy, a changed
// tag or boundary takes effect on the very next call of the same session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DeleteRolePermissionsBoundaryCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { EvaluationQuery } from './authorize.ts';
import { createPolicyEngineEvaluator } from './policy-evaluator.ts';
import { createState, defaultRootCredentials } from './seed.ts';
import { type LocalAws, startLocalAws } from './server.ts';
import { sdkClients, trustPolicyFor } from './testing.ts';

const A = '111111111111';
const user = { accessKeyId: 'AKIAUSERAAAAAAAAAAAA', secretAccessKey: 'secret-a' };
const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const manageTagged = policy([
  {
    Effect: 'Allow',
    Action: ['iam:ListRolePolicies'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/managed-by': 'iam-jit' } },
  },
]);

let aws: LocalAws;
let session: ReturnType<typeof sdkClients>;
const root = () => sdkClients(aws.url, defaultRootCredentials(A)).iam;
const list = () => session.iam.send(new ListRolePoliciesCommand({ RoleName: 'target' }));

before(async () => {
  aws = await startLocalAws({
    state: createState({
      accounts: [
        {
          id: A,
          users: [{ name: 'hub', ...user }],
          policies: [
            { name: 'open', document: JSON.parse(policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])) },
            {
              name: 'no-iam',
              document: JSON.parse(policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])),
            },
          ],
          roles: [
            {
              name: 'provisioner',
              assumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:user/hub`),
              inlinePolicies: { p: JSON.parse(manageTagged) },
            },
            {
              name: 'target',
              assumeRolePolicyDocument: trustPolicyFor(`arn:aws:iam::${A}:root`),
              tags: [{ Key: 'managed-by', Value: 'iam-jit' }],
            },
          ],
        },
      ],
    }),
  });
  const out = await sdkClients(aws.url, user).sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/provisioner`, RoleSessionName: 'hub' }),
  );
  session = sdkClients(aws.url, {
    accessKeyId: out.Credentials?.AccessKeyId ?? '',
    secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
    sessionToken: out.Credentials?.SessionToken ?? '',
  });
});
after(async () => {
  await aws.close();
});

const denied = { name: 'AccessDenied' };

test("a change to the caller's own role policy applies to the session's next call", async () => {
  await list();
  const denyAll = policy([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
  await root().send(
    new PutRolePolicyCommand({ RoleName: 'provisioner', PolicyName: 'stop', PolicyDocument: denyAll }),
  );
  await assert.rejects(list(), { ...denied, message: /explicit deny in an identity-based policy/ });
  // The deny replaced by a harmless policy: allowed again at once.
  await root().send(
    new PutRolePolicyCommand({
      RoleName: 'provisioner',
      PolicyName: 'stop',
      PolicyDocument: policy([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]),
    }),
  );
  await list();
  // Replacing the only allowing policy with one that differs in a single character of a condition value.
  await root().send(
    new PutRolePolicyCommand({
      RoleName: 'provisioner',
      PolicyName: 'p',
      PolicyDocument: manageTagged.replace('"iam-jit"', '"iam-jiT"'),
    }),
  );
  await assert.rejects(list(), { ...denied, message: /no identity-based policy allows/ });
  await root().send(
    new PutRolePolicyCommand({ RoleName: 'provisioner', PolicyName: 'p', PolicyDocument: manageTagged }),
  );
  await list();
});

test("a change to the target role's tags applies to aws:ResourceTag at once", async () => {
  await root().send(new UntagRoleCommand({ RoleName: 'target', TagKeys: ['managed-by'] }));
  await assert.rejects(list(), denied);
  await root().send(
    new TagRoleCommand({ RoleName: 'target', Tags: [{ Key: 'managed-by', Value: 'other' }] }),
  );
  await assert.rejects(list(), denied);
  await root().send(
    new TagRoleCommand({ RoleName: 'target', Tags: [{ Key: 'managed-by', Value: 'iam-jit' }] }),
  );
  await list();
});

test("a permissions boundary put on or taken off the caller's role applies at once", async () => {
  const boundary = (name: string) => `arn:aws:iam::${A}:policy/${name}`;
  await root().send(
    new PutRolePermissionsBoundaryCommand({
      RoleName: 'provisioner',
      PermissionsBoundary: boundary('no-iam'),
    }),
  );
  await assert.rejects(list(), { ...denied, message: /no permissions boundary allows/ });
  await root().send(
    new PutRolePermissionsBoundaryCommand({ RoleName: 'provisioner', PermissionsBoundary: boundary('open') }),
  );
  await list();
  await root().send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'provisioner' }));
  await list();
});

test('a key id signed with another secret after a successful call is SignatureDoesNotMatch', async () => {
  await sdkClients(aws.url, user).sts.send(new GetCallerIdentityCommand({}));
  await assert.rejects(
    sdkClients(aws.url, { ...user, secretAccessKey: 'not-the-secret' }).sts.send(
      new GetCallerIdentityCommand({}),
    ),
    { name: 'SignatureDoesNotMatch' },
  );
  await sdkClients(aws.url, user).sts.send(new GetCallerIdentityCommand({}));
});

test('the parse cache is keyed by text: evicted, changed or unreadable documents are never reused', () => {
  const evaluator = createPolicyEngineEvaluator({ cacheSize: 2 });
  const ask = (identityPolicies: string[]): boolean => {
    const query: EvaluationQuery = {
      principalArn: `arn:aws:sts::${A}:assumed-role/r/s`,
      identityPolicies,
      sessionPolicies: [],
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: new Map(),
    };
    return evaluator.evaluate(query).allowed;
  };
  const allowS3 = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
  const allowOther = policy([{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }]);
  assert.equal(ask([allowS3]), true);
  assert.equal(ask([allowOther]), false);
  for (let i = 0; i < 5; i++) ask([policy([{ Effect: 'Allow', Action: `s3:Other${i}`, Resource: '*' }])]);
  assert.equal(ask([allowS3]), true, 'parsed again after eviction');
  assert.equal(ask([allowS3, policy([{ Effect: 'Deny', Action: 's3:*', Resource: '*' }])]), false);
  assert.equal(ask(['{"Version":"2012-10-17","Statement":[']), false, 'an unreadable document denies');
  assert.equal(ask([allowS3, '{not json']), false);
  assert.equal(ask([allowS3]), true);
});
