/**
 * The SDK call sequence the conformance suite sends to both our emulator and moto_server, and the differences
 * found between them with which side AWS's documentation supports.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { GetUserIdCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  PutInlinePolicyToPermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sdkClients } from '../../src/local-aws/testing.ts';

export const ACCOUNT = '123456789012';
/** Same keys on both sides; moto accepts any key, our emulator knows this one as IAM user `admin`. */
export const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** One side of the comparison: clients plus ids learned during the run (instance ARN, user id, …). */
export interface Target {
  name: 'ours' | 'moto';
  url: string;
  clients: ReturnType<typeof sdkClients>;
  vars: Record<string, string>;
}

export interface Step {
  name: string;
  run: (t: Target) => Promise<unknown>;
}

/** The trust policy every conformance role uses. */
export const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'sts:AssumeRole' },
  ],
});
/** A second trust policy, for UpdateAssumeRolePolicy (also allows tagging and source identity). */
const TRUST_V2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    },
  ],
});
const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:GetRole'], Resource: '*' }],
});

async function remember<T>(
  t: Target,
  key: string,
  value: Promise<T>,
  pick: (v: T) => string | undefined,
): Promise<T> {
  const v = await value;
  t.vars[key] = pick(v) ?? '';
  return v;
}

function assumed(t: Target) {
  return sdkClients(t.url, {
    accessKeyId: t.vars.akid ?? '',
    secretAccessKey: t.vars.secret ?? '',
    sessionToken: t.vars.token ?? '',
  });
}

/** The call sequence, in order. Later steps use ids earlier steps stored in `vars`. */
export const STEPS: readonly Step[] = [
  {
    name: 'iam CreateRole',
    run: (t) =>
      t.clients.iam.send(
        new CreateRoleCommand({
          RoleName: 'conf-role',
          Path: '/conf/',
          AssumeRolePolicyDocument: TRUST,
          Description: 'conformance',
          MaxSessionDuration: 7200,
          Tags: [{ Key: 'owner', Value: 'alice' }],
        }),
      ),
  },
  { name: 'iam GetRole', run: (t) => t.clients.iam.send(new GetRoleCommand({ RoleName: 'conf-role' })) },
  {
    name: 'iam GetRole (other case)',
    run: (t) => t.clients.iam.send(new GetRoleCommand({ RoleName: 'CONF-ROLE' })),
  },
  {
    name: 'iam CreateRole duplicate',
    run: (t) =>
      t.clients.iam.send(new CreateRoleCommand({ RoleName: 'conf-role', AssumeRolePolicyDocument: TRUST })),
  },
  {
    name: 'iam CreateRole invalid name',
    run: (t) =>
      t.clients.iam.send(
        new CreateRoleCommand({ RoleName: 'bad name', Path: '/bad/', AssumeRolePolicyDocument: TRUST }),
      ),
  },
  { name: 'iam GetRole missing', run: (t) => t.clients.iam.send(new GetRoleCommand({ RoleName: 'absent' })) },
  {
    name: 'iam UpdateRole',
    run: async (t) => {
      await t.clients.iam.send(
        new UpdateRoleCommand({ RoleName: 'conf-role', MaxSessionDuration: 3600, Description: 'updated' }),
      );
      return t.clients.iam.send(new GetRoleCommand({ RoleName: 'conf-role' }));
    },
  },
  {
    name: 'iam PutRolePolicy',
    run: (t) =>
      t.clients.iam.send(
        new PutRolePolicyCommand({ RoleName: 'conf-role', PolicyName: 'inline', PolicyDocument: policy }),
      ),
  },
  {
    name: 'iam GetRolePolicy',
    run: (t) => t.clients.iam.send(new GetRolePolicyCommand({ RoleName: 'conf-role', PolicyName: 'inline' })),
  },
  {
    name: 'iam GetRolePolicy missing',
    run: (t) => t.clients.iam.send(new GetRolePolicyCommand({ RoleName: 'conf-role', PolicyName: 'absent' })),
  },
  {
    name: 'iam ListRolePolicies',
    run: (t) => t.clients.iam.send(new ListRolePoliciesCommand({ RoleName: 'conf-role' })),
  },
  {
    name: 'iam DeleteRole with policies',
    run: (t) => t.clients.iam.send(new DeleteRoleCommand({ RoleName: 'conf-role' })),
  },
  {
    name: 'iam DeleteRole missing',
    run: (t) => t.clients.iam.send(new DeleteRoleCommand({ RoleName: 'absent' })),
  },
  {
    name: 'iam PutRolePolicy malformed JSON',
    run: (t) =>
      t.clients.iam.send(
        new PutRolePolicyCommand({ RoleName: 'conf-role', PolicyName: 'bad', PolicyDocument: '{"Version":' }),
      ),
  },
  {
    name: 'iam UpdateAssumeRolePolicy + GetRole',
    run: async (t) => {
      await t.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: 'conf-role', PolicyDocument: TRUST_V2 }),
      );
      return t.clients.iam.send(new GetRoleCommand({ RoleName: 'conf-role' }));
    },
  },
  {
    name: 'iam CreatePolicy',
    run: (t) =>
      remember(
        t,
        'policyArn',
        t.clients.iam.send(new CreatePolicyCommand({ PolicyName: 'conf-managed', PolicyDocument: policy })),
        (v) => v.Policy?.Arn,
      ),
  },
  {
    name: 'iam CreatePolicy duplicate',
    run: (t) =>
      t.clients.iam.send(new CreatePolicyCommand({ PolicyName: 'conf-managed', PolicyDocument: policy })),
  },
  {
    name: 'iam GetPolicy',
    run: (t) => t.clients.iam.send(new GetPolicyCommand({ PolicyArn: t.vars.policyArn })),
  },
  {
    name: 'iam AttachRolePolicy + ListAttachedRolePolicies',
    run: async (t) => {
      await t.clients.iam.send(
        new AttachRolePolicyCommand({ RoleName: 'conf-role', PolicyArn: t.vars.policyArn }),
      );
      return t.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'conf-role' }));
    },
  },
  {
    name: 'iam PutRolePermissionsBoundary + GetRole',
    run: async (t) => {
      await t.clients.iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: 'conf-role',
          PermissionsBoundary: t.vars.policyArn,
        }),
      );
      return t.clients.iam.send(new GetRoleCommand({ RoleName: 'conf-role' }));
    },
  },
  {
    // Self-contained, on a role of its own: moto deletes the attached policy but keeps the attachment, which
    // leaves that role undeletable there; our side cleans up fully.
    name: 'iam DeletePolicy while attached',
    run: async (t) => {
      const iam = t.clients.iam;
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'conf-conflict',
          Path: '/conflict/',
          AssumeRolePolicyDocument: TRUST,
        }),
      );
      const created = await iam.send(
        new CreatePolicyCommand({ PolicyName: 'conf-attached', PolicyDocument: policy }),
      );
      const arn = created.Policy?.Arn ?? '';
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'conf-conflict', PolicyArn: arn }));
      const result = await iam.send(new DeletePolicyCommand({ PolicyArn: arn })).then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      );
      await iam
        .send(new DetachRolePolicyCommand({ RoleName: 'conf-conflict', PolicyArn: arn }))
        .catch(() => undefined);
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn })).catch(() => undefined);
      await iam.send(new DeleteRoleCommand({ RoleName: 'conf-conflict' })).catch(() => undefined);
      if ('error' in result) throw result.error;
      return result.ok;
    },
  },
  {
    name: 'iam TagRole + UntagRole + ListRoleTags',
    run: async (t) => {
      await t.clients.iam.send(
        new TagRoleCommand({ RoleName: 'conf-role', Tags: [{ Key: 'env', Value: 'dev' }] }),
      );
      await t.clients.iam.send(new UntagRoleCommand({ RoleName: 'conf-role', TagKeys: ['owner'] }));
      return t.clients.iam.send(new ListRoleTagsCommand({ RoleName: 'conf-role' }));
    },
  },
  {
    // AWS documents no order for ListRoles (moto and we differ), so pages are compared by size and truncation.
    name: 'iam ListRoles first page',
    run: async (t) => {
      await t.clients.iam.send(
        new CreateRoleCommand({ RoleName: 'conf-role-2', Path: '/conf/', AssumeRolePolicyDocument: TRUST }),
      );
      const page = await t.clients.iam.send(new ListRolesCommand({ PathPrefix: '/conf/', MaxItems: 1 }));
      return { count: page.Roles?.length, IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  },
  {
    name: 'iam ListRoles',
    run: async (t) => {
      const all = await t.clients.iam.send(new ListRolesCommand({ PathPrefix: '/conf/' }));
      const roles = [...(all.Roles ?? [])].sort((a, b) => (a.RoleName ?? '').localeCompare(b.RoleName ?? ''));
      return { ...all, Roles: roles };
    },
  },
  {
    name: 'sts AssumeRole',
    run: async (t) => {
      const out = await t.clients.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/conf/conf-role`,
          RoleSessionName: 'conf-session',
          DurationSeconds: 900,
        }),
      );
      t.vars.akid = out.Credentials?.AccessKeyId ?? '';
      t.vars.secret = out.Credentials?.SecretAccessKey ?? '';
      t.vars.token = out.Credentials?.SessionToken ?? '';
      return out;
    },
  },
  {
    name: 'sts GetCallerIdentity (assumed)',
    run: (t) => assumed(t).sts.send(new GetCallerIdentityCommand({})),
  },
  {
    name: 'sts GetCallerIdentity (user key)',
    run: (t) => t.clients.sts.send(new GetCallerIdentityCommand({})),
  },
  {
    name: 'sts AssumeRole with session policy and tags',
    run: (t) =>
      t.clients.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/conf/conf-role`,
          RoleSessionName: 'tagged',
          Policy: policy,
          Tags: [{ Key: 'team', Value: 'blue' }],
          SourceIdentity: 'alice',
        }),
      ),
  },
  {
    name: 'sts AssumeRole DurationSeconds above the role maximum',
    run: (t) =>
      t.clients.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/conf/conf-role`,
          RoleSessionName: 'long',
          DurationSeconds: 7200,
        }),
      ),
  },
  {
    name: 'iam cleanup: detach, delete policies, delete roles',
    run: async (t) => {
      const iam = t.clients.iam;
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'conf-role', PolicyArn: t.vars.policyArn }));
      await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'conf-role' }));
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'conf-role', PolicyName: 'inline' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'conf-role' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'conf-role-2' }));
      return iam.send(new DeletePolicyCommand({ PolicyArn: t.vars.policyArn }));
    },
  },
  {
    name: 'iam GetRole after delete',
    run: (t) => t.clients.iam.send(new GetRoleCommand({ RoleName: 'conf-role' })),
  },
  {
    name: 'sso ListInstances',
    run: async (t) => {
      const out = await t.clients.sso.send(new ListInstancesCommand({}));
      t.vars.instanceArn = out.Instances?.[0]?.InstanceArn ?? '';
      t.vars.storeId = out.Instances?.[0]?.IdentityStoreId ?? '';
      return out;
    },
  },
  {
    name: 'identitystore ListUsers by UserName',
    run: (t) =>
      remember(
        t,
        'userId',
        t.clients.identityStore.send(
          new ListUsersCommand({
            IdentityStoreId: t.vars.storeId,
            Filters: [{ AttributePath: 'UserName', AttributeValue: 'alice' }],
          }),
        ),
        (v) => v.Users?.[0]?.UserId,
      ),
  },
  {
    name: 'identitystore GetUserId by userName',
    run: (t) =>
      t.clients.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: t.vars.storeId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
        }),
      ),
  },
  {
    name: 'sso CreatePermissionSet',
    run: (t) =>
      remember(
        t,
        'psArn',
        t.clients.sso.send(
          new CreatePermissionSetCommand({
            InstanceArn: t.vars.instanceArn,
            Name: 'conf-ps',
            SessionDuration: 'PT2H',
          }),
        ),
        (v) => v.PermissionSet?.PermissionSetArn,
      ),
  },
  {
    name: 'sso PutInlinePolicyToPermissionSet + DescribePermissionSet',
    run: async (t) => {
      const ids = { InstanceArn: t.vars.instanceArn, PermissionSetArn: t.vars.psArn };
      await t.clients.sso.send(new PutInlinePolicyToPermissionSetCommand({ ...ids, InlinePolicy: policy }));
      return t.clients.sso.send(new DescribePermissionSetCommand(ids));
    },
  },
  {
    name: 'sso CreateAccountAssignment',
    run: (t) =>
      remember(
        t,
        'requestId',
        t.clients.sso.send(new CreateAccountAssignmentCommand(assignment(t))),
        (v) => v.AccountAssignmentCreationStatus?.RequestId,
      ),
  },
  {
    name: 'sso DescribeAccountAssignmentCreationStatus',
    run: (t) =>
      t.clients.sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: t.vars.instanceArn,
          AccountAssignmentCreationRequestId: t.vars.requestId,
        }),
      ),
  },
  {
    name: 'sso ListAccountAssignments',
    run: (t) =>
      t.clients.sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: t.vars.instanceArn,
          AccountId: ACCOUNT,
          PermissionSetArn: t.vars.psArn,
        }),
      ),
  },
  {
    name: 'sso DeleteAccountAssignment + DeletePermissionSet',
    run: async (t) => {
      const out = await t.clients.sso.send(new DeleteAccountAssignmentCommand(assignment(t)));
      await t.clients.sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: t.vars.instanceArn,
          AccountId: ACCOUNT,
          PermissionSetArn: t.vars.psArn,
        }),
      );
      await t.clients.sso.send(
        new DeletePermissionSetCommand({ InstanceArn: t.vars.instanceArn, PermissionSetArn: t.vars.psArn }),
      );
      return out;
    },
  },
];

function assignment(t: Target) {
  return {
    InstanceArn: t.vars.instanceArn,
    PermissionSetArn: t.vars.psArn,
    TargetId: ACCOUNT,
    TargetType: 'AWS_ACCOUNT',
    PrincipalType: 'USER',
    PrincipalId: t.vars.userId,
  } as const;
}
