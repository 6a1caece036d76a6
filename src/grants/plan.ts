/**
 * The provisioning plan shown to approvers before they approve: for each account, the exact AWS calls iam-jit will
 * make, as AWS CLI commands, with times as if approved now; and how the requester will use the grant. Pure.
 */
import type { Account } from '../accounts/account.ts';
import type { AccessRequest, Revision } from '../requests/request.ts';
import {
  GRANT_MAX_SESSION_SECONDS,
  GRANT_POLICY_NAME,
  GRANT_ROLE_PATH,
  type Grant,
  revokeSessionsPolicy,
} from './grant.ts';
import { assignmentSpecFor, type GrantSettings, roleSpecFor } from './grant-lifecycle.ts';

/** One AWS call of the plan. */
export interface PlanStep {
  readonly phase: 'provision' | 'revoke';
  readonly description: string;
  /** An AWS CLI command line (POSIX shell quoting). */
  readonly command: string;
}

/** The plan of one account. */
export interface AccountPlan {
  readonly accountId: string;
  readonly mode: Account['provisioningMode'];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The regions the grant is limited to (`aws:RequestedRegion`), or null for any. */
  readonly regions: readonly string[] | null;
  readonly steps: readonly PlanStep[];
  /** Problems that would make provisioning fail (missing spoke role, unsupported mode). */
  readonly problems: readonly string[];
}

/** The whole plan. `GRANT_ID` stands for the grant id, known only at approval. */
export interface ProvisioningPlan {
  readonly requestId: string;
  readonly accounts: readonly AccountPlan[];
  /** How the requester will use a grant (CLI, `~/.aws/config` profile block). */
  readonly usage: readonly string[];
}

/** Placeholder for the grant id in the plan. */
export const PLANNED_GRANT_ID = 'GRANT_ID';

/** `value` single-quoted for POSIX shells. */
export const q = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

function accountPlan(
  request: AccessRequest,
  revision: Revision,
  account: Account,
  approverIds: readonly string[],
  settings: GrantSettings,
  now: Date,
): AccountPlan {
  const notBefore = request.startAt !== null && request.startAt > now ? request.startAt : now;
  const notAfter = new Date(notBefore.getTime() + request.durationHours * 3_600_000);
  const problems: string[] = [];
  if (account.provisioningMode === 'identity_center' && !request.requesterId.startsWith('email:'))
    problems.push(
      `identity_center grants need an email: user (the Identity Center userName); ${request.requesterId} has none`,
    );
  if (account.spokeRoleArn === null || account.externalId === null)
    problems.push('the account has no spoke role ARN or external id configured');
  const grant: Grant = {
    id: PLANNED_GRANT_ID,
    requestId: request.id,
    accountId: account.id,
    requesterId: request.requesterId,
    approverIds,
    revision: revision.number,
    mode: account.provisioningMode,
    status: 'pending',
    policy: revision.policy,
    notBefore,
    notAfter,
    roleName: `iam-jit-${PLANNED_GRANT_ID}`,
    roleArn: null,
    activatedAt: null,
    endedAt: null,
    endReason: null,
    revokedBy: null,
    revokeReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    regions: request.regions ?? null,
  };
  const assume: PlanStep = {
    phase: 'provision',
    description: 'The hub assumes the account’s provisioning role with its external id (not shown)',
    command: `aws sts assume-role --role-arn ${account.spokeRoleArn ?? 'SPOKE_ROLE_ARN'} --role-session-name iam-jit-provisioner --external-id EXTERNAL_ID`,
  };
  const plan = { accountId: account.id, mode: account.provisioningMode, notBefore, notAfter, problems };
  if (account.provisioningMode === 'identity_center')
    return {
      ...plan,
      regions: grant.regions ?? null,
      steps: [assume, ...identityCenterSteps(grant, account.permissionSetArn)],
    };
  const spec = roleSpecFor(grant, settings);
  const role = `--role-name ${spec.roleName}`;
  const tags = Object.entries(spec.tags)
    .map(([k, v]) => q(`Key=${k},Value=${v}`))
    .join(' ');
  const steps: PlanStep[] = [
    assume,
    {
      phase: 'provision',
      description: `Create the role under ${GRANT_ROLE_PATH} with its trust policy, boundary, session limit and tags`,
      command: [
        `aws iam create-role ${role} --path ${GRANT_ROLE_PATH}`,
        `--max-session-duration ${GRANT_MAX_SESSION_SECONDS}`,
        spec.permissionsBoundaryArn === null ? '' : `--permissions-boundary ${spec.permissionsBoundaryArn}`,
        `--description ${q(spec.description)}`,
        `--assume-role-policy-document ${q(JSON.stringify(spec.trustPolicy))}`,
        `--tags ${tags}`,
      ]
        .filter((p) => p !== '')
        .join(' '),
    },
    {
      phase: 'provision',
      description:
        grant.regions == null
          ? 'Attach the approved policy, every statement limited to not_after'
          : `Attach the approved policy, every statement limited to not_after and (except global-service actions) to ${grant.regions.join(', ')}`,
      command: `aws iam put-role-policy ${role} --policy-name ${GRANT_POLICY_NAME} --policy-document ${q(JSON.stringify(spec.inlinePolicy))}`,
    },
    {
      phase: 'revoke',
      description:
        'At not_after (or on revoke): replace the approved policy with a deny of every session issued before that moment',
      command: `aws iam put-role-policy ${role} --policy-name ${GRANT_POLICY_NAME} --policy-document ${q(JSON.stringify(revokeSessionsPolicy(notAfter)))}`,
    },
    {
      phase: 'revoke',
      description: 'Remove that policy, then the role',
      command: [
        `aws iam delete-role-policy ${role} --policy-name ${GRANT_POLICY_NAME}`,
        `aws iam delete-role ${role}`,
      ].join(' && '),
    },
  ];
  return {
    accountId: account.id,
    mode: account.provisioningMode,
    notBefore,
    notAfter,
    regions: grant.regions ?? null,
    steps,
    problems,
  };
}

/**
 * The Identity Center calls of a grant: with `sharedArn` (the account's admin-chosen permission set) only the
 * assignment, removed at the end when no other lease holds it; else a per-grant permission set with the
 * time-bounded policy, provisioned and assigned, and at the end denied to older sessions and deleted.
 */
function identityCenterSteps(grant: Grant, sharedArn: string | null): PlanStep[] {
  // An iam: requester has no Identity Center user (named as a problem of the plan): show a placeholder.
  const spec = assignmentSpecFor(
    grant.requesterId.startsWith('email:') ? grant : { ...grant, requesterId: 'email:USER_NAME' },
  );
  const ps = sharedArn ?? 'PERMISSION_SET_ARN';
  const instance = '--instance-arn INSTANCE_ARN';
  const target = `--target-type AWS_ACCOUNT --target-id ${grant.accountId}`;
  const principal = `--principal-type USER --principal-id USER_ID`;
  const user: PlanStep = {
    phase: 'provision',
    description: `Look up the requester’s Identity Center user (userName ${spec.userName}) and the instance`,
    command: `aws sso-admin list-instances && aws identitystore get-user-id --identity-store-id IDENTITY_STORE_ID --alternate-identifier ${q(JSON.stringify({ UniqueAttribute: { AttributePath: 'userName', AttributeValue: spec.userName } }))}`,
  };
  const assign: PlanStep = {
    phase: 'provision',
    description:
      sharedArn === null
        ? 'Assign it to the user in the account'
        : 'Assign the account’s shared permission set to the user (shared with the user’s other grants on it)',
    command: `aws sso-admin create-account-assignment ${instance} ${target} --permission-set-arn ${ps} ${principal}`,
  };
  const unassign: PlanStep = {
    phase: 'revoke',
    description:
      sharedArn === null
        ? 'Remove the assignment'
        : 'At not_after (or on revoke): remove the assignment, unless another live grant of the user holds it (lease)',
    command: `aws sso-admin delete-account-assignment ${instance} ${target} --permission-set-arn ${ps} ${principal}`,
  };
  if (sharedArn !== null) return [user, assign, unassign];
  const tags = Object.entries(spec.tags)
    .map(([k, v]) => q(`Key=${k},Value=${v}`))
    .join(' ');
  return [
    user,
    {
      phase: 'provision',
      description: 'Create the per-grant permission set (named after the grant, 1-hour sessions, tagged)',
      command: `aws sso-admin create-permission-set ${instance} --name ${spec.permissionSetName} --description ${q(spec.description)} --session-duration PT1H --tags ${tags}`,
    },
    {
      phase: 'provision',
      description:
        grant.regions == null
          ? 'Put the approved policy, every statement limited to not_after'
          : `Put the approved policy, every statement limited to not_after and (except global-service actions) to ${grant.regions.join(', ')}`,
      command: `aws sso-admin put-inline-policy-to-permission-set ${instance} --permission-set-arn ${ps} --inline-policy ${q(JSON.stringify(spec.inlinePolicy))}`,
    },
    {
      phase: 'provision',
      description: 'Provision it to the account',
      command: `aws sso-admin provision-permission-set ${instance} --permission-set-arn ${ps} ${target}`,
    },
    assign,
    {
      phase: 'revoke',
      description:
        'At not_after (or on revoke): replace the policy with a deny of every session issued before that moment, re-provisioned',
      command: `aws sso-admin put-inline-policy-to-permission-set ${instance} --permission-set-arn ${ps} --inline-policy ${q(JSON.stringify(revokeSessionsPolicy(grant.notAfter)))} && aws sso-admin provision-permission-set ${instance} --permission-set-arn ${ps} ${target}`,
    },
    unassign,
    {
      phase: 'revoke',
      description: 'Delete the permission set',
      command: `aws sso-admin delete-permission-set ${instance} --permission-set-arn ${ps}`,
    },
  ];
}

/** The plan of `request` at `revision`, as if approved at `now` by `approverIds`. */
export function buildPlan({
  request,
  revision,
  accounts,
  approverIds,
  settings,
  now,
}: {
  request: AccessRequest;
  revision: Revision;
  accounts: readonly Account[];
  approverIds: readonly string[];
  settings: GrantSettings;
  now: Date;
}): ProvisioningPlan {
  return {
    requestId: request.id,
    accounts: accounts.map((a) => accountPlan(request, revision, a, approverIds, settings, now)),
    usage: [
      `iam-jit creds ${PLANNED_GRANT_ID}                       # credential_process JSON`,
      `eval "$(iam-jit creds ${PLANNED_GRANT_ID} --format env)"  # environment variables`,
      `iam-jit creds ${PLANNED_GRANT_ID} --write-profile jit     # writes the profile block below`,
      `[profile jit]\ncredential_process = iam-jit creds ${PLANNED_GRANT_ID}`,
      `GET /api/v1/grants/${PLANNED_GRANT_ID}/console-url       # AWS console sign-in link`,
    ],
  };
}

/**
 * How the requester uses a grant: for `iam_role` grants the iam-jit CLI (credential_process, env exports, a profile
 * block), for `iam:` users also a direct `aws sts assume-role` (their own principal is trusted), and the console link;
 * for `identity_center` grants the AWS access portal. Empty until the grant is active.
 */
export function grantUsage(grant: Grant): string[] {
  if (grant.status !== 'active') return [];
  if (grant.mode === 'identity_center')
    return [
      `Sign in through the AWS access portal and pick permission set ${grant.id} in account ${grant.accountId}`,
    ];
  const lines = [
    `iam-jit creds ${grant.id}`,
    `eval "$(iam-jit creds ${grant.id} --format env)"`,
    `[profile iam-jit-${grant.accountId}]\ncredential_process = iam-jit creds ${grant.id}`,
    `GET /api/v1/grants/${grant.id}/console-url`,
  ];
  if (grant.requesterId.startsWith('iam:') && grant.roleArn !== null)
    lines.splice(
      3,
      0,
      `aws sts assume-role --role-arn ${grant.roleArn} --role-session-name iam-jit --duration-seconds 3600`,
    );
  return lines;
}
