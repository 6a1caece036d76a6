/** What provisioning builds for a grant: the spoke target, the role and the Identity Center assignment specs. */
import type { Account } from '../accounts/account.ts';
import { PermanentJobError } from '../jobs/index.ts';
import {
  GRANT_MAX_SESSION_SECONDS,
  GRANT_POLICY_NAME,
  GRANT_ROLE_PATH,
  type Grant,
  grantTags,
  grantTrustPolicy,
  timeBoundPolicy,
} from './grant.ts';
import type { AssignmentSpec, RoleSpec, SpokeTarget } from './ports.ts';

/** Deployment settings of provisioning. */
export interface GrantSettings {
  /** The broker principal that vends credentials (trusted by every grant role), e.g. the hub role's ARN. */
  readonly vendingPrincipalArn: string;
  /** Name of the permissions boundary policy in every spoke account (`arn:aws:iam::<account>:policy/<name>`). */
  readonly permissionsBoundaryName: string | null;
}

/** The spoke target of an account, or an Error naming what is missing (a configuration problem). */
export function spokeTargetOf(account: Account | undefined, accountId: string): SpokeTarget {
  if (account === undefined) throw new Error(`account ${accountId} no longer exists`);
  if (account.spokeRoleArn === null || account.externalId === null)
    throw new Error(`account ${accountId} has no spoke role ARN or external id configured`);
  return { accountId, spokeRoleArn: account.spokeRoleArn, externalId: account.externalId };
}

/** The role `grant` provisions, as `provisionRole` converges it. */
export function roleSpecFor(grant: Grant, settings: GrantSettings): RoleSpec {
  return {
    roleName: grant.roleName,
    path: GRANT_ROLE_PATH,
    trustPolicy: grantTrustPolicy({
      vendingPrincipalArn: settings.vendingPrincipalArn,
      requesterId: grant.requesterId,
      notAfter: grant.notAfter,
    }),
    inlinePolicyName: GRANT_POLICY_NAME,
    inlinePolicy: timeBoundPolicy(grant.policy, grant.notAfter, grant.regions),
    permissionsBoundaryArn:
      settings.permissionsBoundaryName === null
        ? null
        : `arn:aws:iam::${grant.accountId}:policy/${settings.permissionsBoundaryName}`,
    maxSessionDurationSeconds: GRANT_MAX_SESSION_SECONDS,
    tags: grantTags(grant),
    description: `iam-jit grant ${grant.id} for ${grant.requesterId} until ${grant.notAfter.toISOString()}`,
  };
}

/**
 * The Identity Center `userName` of an iam-jit user: the address of an `email:` user. Throws PermanentJobError for
 * other users (an `iam:` principal has no Identity Center user), which fails the grant.
 */
export function identityCenterUserName(userId: string): string {
  if (!userId.startsWith('email:'))
    throw new PermanentJobError(`identity_center grants need an email: user, not ${userId}`);
  return userId.slice('email:'.length);
}

/** The per-grant permission set and assignment of an `identity_center` grant. */
export function assignmentSpecFor(grant: Grant): AssignmentSpec {
  return {
    accountId: grant.accountId,
    userName: identityCenterUserName(grant.requesterId),
    permissionSetName: grant.id,
    description: `iam-jit grant ${grant.id} until ${grant.notAfter.toISOString()}`,
    inlinePolicy: timeBoundPolicy(grant.policy, grant.notAfter, grant.regions),
    tags: grantTags(grant),
  };
}
