/**
 * The least-privilege policies of an iam-jit deployment (DESIGN.md §4, docs/grants.md "Bootstrap"):
 * - spoke: the provisioning role in each account may create roles only under `/iam-jit/`, only with the
 *   `managed-by=iam-jit` tag and the iam-jit permissions boundary, and may touch only roles carrying that tag; it can
 *   never remove a boundary or the tag. A compromised hub therefore cannot mint access beyond the boundary.
 * - hub: may assume the spoke provisioning roles and the grant roles (credential vending, with SourceIdentity).
 * Conditions follow the IAM User Guide: "Controlling access to IAM resources" (aws:RequestTag, aws:ResourceTag,
 * aws:TagKeys) and "Permissions boundaries for IAM entities" (iam:PermissionsBoundary).
 */

/** Name of the spoke provisioning role the hub assumes. */
export const SPOKE_ROLE_NAME = 'iam-jit-provisioner';
/** Default name of the permissions boundary policy in each spoke. */
export const DEFAULT_BOUNDARY_NAME = 'iam-jit-boundary';

/** Role actions the hub performs on grant roles after creating them (all tag-scoped). */
export const SPOKE_ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:GetRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:DetachRolePolicy',
  'iam:ListRoleTags',
  'iam:DeleteRole',
] as const;

/** The spoke provisioning role's policy for `account` (a 12-digit id, or `*` for a StackSet-wide document). */
export function spokePolicy({
  account = '*',
  boundaryName = DEFAULT_BOUNDARY_NAME,
}: {
  account?: string;
  boundaryName?: string;
} = {}): Record<string, unknown> {
  const roles = `arn:aws:iam::${account}:role/iam-jit/*`;
  const boundary = `arn:aws:iam::${account}:policy/${boundaryName}`;
  const tagged = { StringEquals: { 'aws:ResourceTag/managed-by': 'iam-jit' } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CreateTaggedBoundedRoles',
        Effect: 'Allow',
        Action: 'iam:CreateRole',
        Resource: roles,
        Condition: {
          StringEquals: { 'aws:RequestTag/managed-by': 'iam-jit', 'iam:PermissionsBoundary': boundary },
        },
      },
      {
        Sid: 'TagOwnRoles',
        Effect: 'Allow',
        Action: 'iam:TagRole',
        Resource: roles,
        Condition: { StringEquals: { 'aws:RequestTag/managed-by': 'iam-jit' } },
      },
      {
        Sid: 'ManageTaggedRoles',
        Effect: 'Allow',
        Action: [...SPOKE_ROLE_ACTIONS],
        Resource: roles,
        Condition: tagged,
      },
      {
        Sid: 'OnlyTheIamJitBoundary',
        Effect: 'Allow',
        Action: 'iam:PutRolePermissionsBoundary',
        Resource: roles,
        Condition: {
          StringEquals: { 'aws:ResourceTag/managed-by': 'iam-jit', 'iam:PermissionsBoundary': boundary },
        },
      },
      { Sid: 'ListForReconciler', Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
      {
        Sid: 'NeverDropBoundaryOrTag',
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary', 'iam:UntagRole'],
        Resource: '*',
      },
    ],
  };
}

/** The trust policy of the spoke provisioning role: the hub principal, with the account's external id. */
export function spokeTrustPolicy(hubPrincipalArn: string, externalId: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: hubPrincipalArn },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

/** The hub principal's policy: assume spoke provisioning roles, and grant roles with a SourceIdentity. */
export function hubPolicy(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AssumeSpokeProvisioners',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: `arn:aws:iam::*:role/${SPOKE_ROLE_NAME}`,
      },
      {
        Sid: 'VendGrantCredentials',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Resource: 'arn:aws:iam::*:role/iam-jit/*',
      },
    ],
  };
}
