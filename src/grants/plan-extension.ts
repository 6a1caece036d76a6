/**
 * The plan of an extension request (`extends_grant_id`): the AWS calls approving it makes to move the grant's end —
 * the role's trust policy and inline policy rewritten with the new `aws:CurrentTime` bound and its `expires-at` tag,
 * or, in `identity_center` mode, the per-grant permission set's policy re-provisioned. Pure.
 */
import type { AccessRequest } from '../requests/request.ts';
import { GRANT_POLICY_NAME, type Grant } from './grant.ts';
import { assignmentSpecFor, type GrantSettings, roleSpecFor } from './grant-lifecycle.ts';
import { type AccountPlan, type PlanStep, type ProvisioningPlan, q } from './plan.ts';

/** The plan of extension request `request` of `grant`: one account, `not_after` moved by `durationHours`. */
export function buildExtensionPlan({
  request,
  grant,
  spokeRoleArn,
  permissionSetArn,
  settings,
}: {
  request: AccessRequest;
  grant: Grant;
  spokeRoleArn: string | null;
  /** The account's admin-chosen permission set (shared), or null for per-grant sets. */
  permissionSetArn: string | null;
  settings: GrantSettings;
}): ProvisioningPlan {
  const notAfter = new Date(grant.notAfter.getTime() + request.durationHours * 3_600_000);
  const extended: Grant = { ...grant, notAfter };
  const problems: string[] = [];
  if (grant.status !== 'active')
    problems.push(`grant ${grant.id} is ${grant.status}: there is nothing to extend, approving will fail`);
  const assume: PlanStep = {
    phase: 'provision',
    description: 'The hub assumes the account’s provisioning role with its external id (not shown)',
    command: `aws sts assume-role --role-arn ${spokeRoleArn ?? 'SPOKE_ROLE_ARN'} --role-session-name iam-jit-provisioner --external-id EXTERNAL_ID`,
  };
  let steps: PlanStep[];
  if (grant.mode === 'identity_center') {
    const shared = permissionSetArn !== null;
    const ps = grant.roleArn ?? 'PERMISSION_SET_ARN';
    steps = shared
      ? [
          {
            phase: 'provision',
            description:
              'Shared permission set: no AWS call; the assignment’s lease lasts until the new not_after',
            command: '# nothing to run',
          },
        ]
      : [
          assume,
          {
            phase: 'provision',
            description: 'Rewrite the per-grant permission set’s policy with the new not_after',
            command: `aws sso-admin put-inline-policy-to-permission-set --instance-arn INSTANCE_ARN --permission-set-arn ${ps} --inline-policy ${q(JSON.stringify(assignmentSpecFor(extended).inlinePolicy))}`,
          },
          {
            phase: 'provision',
            description: 'Re-provision it to the account',
            command: `aws sso-admin provision-permission-set --instance-arn INSTANCE_ARN --permission-set-arn ${ps} --target-type AWS_ACCOUNT --target-id ${grant.accountId}`,
          },
        ];
  } else {
    const spec = roleSpecFor(extended, settings);
    const role = `--role-name ${spec.roleName}`;
    steps = [
      assume,
      {
        phase: 'provision',
        description: 'Rewrite the trust policy with the new not_after',
        command: `aws iam update-assume-role-policy ${role} --policy-document ${q(JSON.stringify(spec.trustPolicy))}`,
      },
      {
        phase: 'provision',
        description: 'Rewrite the approved policy, every statement limited to the new not_after',
        command: `aws iam put-role-policy ${role} --policy-name ${GRANT_POLICY_NAME} --policy-document ${q(JSON.stringify(spec.inlinePolicy))}`,
      },
      {
        phase: 'provision',
        description: 'Move the expires-at tag',
        command: `aws iam tag-role ${role} --tags ${q(`Key=iam-jit:expires-at,Value=${notAfter.toISOString()}`)}`,
      },
    ];
  }
  const account: AccountPlan = {
    accountId: grant.accountId,
    mode: grant.mode,
    notBefore: grant.notBefore,
    notAfter,
    regions: grant.regions ?? null,
    steps,
    problems,
  };
  return {
    requestId: request.id,
    accounts: [account],
    usage: [`Grant ${grant.id} keeps working until ${notAfter.toISOString()}`],
  };
}
