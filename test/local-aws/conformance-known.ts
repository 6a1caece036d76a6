/**
 * Differences found between our emulator and moto_server, each with what AWS documents and where: the
 * conformance test asserts our side equals `aws`.
 */
import { ACCOUNT, TRUST } from './conformance-steps.ts';

/** `aws` value meaning "the call succeeds" (our outcome is not an error). */
export const SUCCESS = 'the call succeeds';

/**
 * A difference between the two emulators at one field of one step, with what AWS does according to its
 * documentation (`aws`: the value AWS returns there; our emulator is asserted to return it) and the source.
 */
export interface KnownDifference {
  step: string;
  /** `$.A.B[0]`; `[*]` matches any index; a path ending in `(format)` is checked by a dedicated test. */
  path: string;
  /** AWS's value; a RegExp or predicate when AWS documents only its form. */
  aws: unknown;
  moto: unknown;
  /** `unverified`: AWS's documentation does not settle it; our side is only checked for the documented form. */
  correct: 'ours' | 'moto' | 'unverified';
  source: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    step: 'iam GetRole (other case)',
    path: '$',
    aws: SUCCESS,
    moto: { error: 'NoSuchEntityException', status: 404 },
    correct: 'ours',
    source:
      'IAM API Reference, CreateRole RoleName: "Names are not distinguished by case" (lookups find the role)',
  },
  {
    step: 'iam CreateRole invalid name',
    path: '$',
    aws: { error: 'ValidationError', status: 400 },
    moto: 'accepted (role created)',
    correct: 'ours',
    source: 'botocore iam 2010-05-08 model: roleNameType pattern [\\w+=,.@-]+ (a space is not allowed)',
  },
  {
    step: 'iam CreatePolicy',
    path: '$.Policy.PermissionsBoundaryUsageCount',
    aws: 0,
    moto: undefined,
    correct: 'ours',
    source: 'IAM API Reference, Policy data type: PermissionsBoundaryUsageCount is returned with the policy',
  },
  {
    // moto returns some roles' documents raw, not always the same ones.
    step: 'iam ListRoles',
    path: '$.Roles[*].AssumeRolePolicyDocument',
    aws: /^urlencoded:\{/,
    moto: TRUST,
    correct: 'ours',
    source:
      'IAM API Reference, Role data type and GetRole: policy documents are returned URL-encoded (RFC 3986)',
  },
  {
    step: 'sts AssumeRole',
    path: '$.PackedPolicySize',
    aws: undefined,
    moto: 6,
    correct: 'ours',
    source:
      'STS API Reference, AssumeRole: PackedPolicySize describes the session policies and tags passed in the request; none were passed',
  },
  {
    step: 'sts GetCallerIdentity (user key)',
    path: '$.Arn',
    aws: `arn:aws:iam::${ACCOUNT}:user/admin`,
    moto: `arn:aws:sts::${ACCOUNT}:user/moto`,
    correct: 'ours',
    source:
      'STS API Reference, GetCallerIdentity example for an IAM user: arn:aws:iam::<account>:user/<name>; moto does not know whose key it is',
  },
  {
    step: 'sso CreatePermissionSet',
    path: '$.PermissionSet.PermissionSetArn (format)',
    aws: 'arn:aws:sso:::permissionSet/ssoins-<16>/ps-<16>',
    moto: 'arn:aws:sso:::instance/ssoins-<16>/ps-<16>',
    correct: 'ours',
    source:
      'botocore sso-admin 2020-07-20 model: PermissionSetArn pattern arn:aws…:sso:::permissionSet/(sso)?ins-…/ps-…',
  },
  {
    step: 'sso CreateAccountAssignment',
    path: '$.AccountAssignmentCreationStatus.Status',
    aws: 'IN_PROGRESS',
    moto: 'SUCCEEDED',
    correct: 'ours',
    source:
      'IAM Identity Center API Reference, CreateAccountAssignment: asynchronous; poll DescribeAccountAssignmentCreationStatus',
  },
  {
    step: 'sso DeleteAccountAssignment + DeletePermissionSet',
    path: '$.AccountAssignmentDeletionStatus.Status',
    aws: 'IN_PROGRESS',
    moto: 'SUCCEEDED',
    correct: 'ours',
    source:
      'IAM Identity Center API Reference, DeleteAccountAssignment: asynchronous; poll DescribeAccountAssignmentDeletionStatus',
  },
  {
    step: 'iam GetPolicy',
    path: '$.Policy.PermissionsBoundaryUsageCount',
    aws: 0,
    moto: undefined,
    correct: 'ours',
    source: 'IAM API Reference, Policy data type: PermissionsBoundaryUsageCount is returned with the policy',
  },
  {
    step: 'iam GetPolicy',
    path: '$.Policy.Tags',
    aws: undefined,
    moto: [],
    correct: 'unverified',
    source:
      'IAM API Reference, GetPolicy: Tags is optional; whether an untagged policy has an empty <Tags/> is not documented',
  },
  {
    step: 'iam DeletePolicy while attached',
    path: '$',
    aws: { error: 'DeleteConflictException', status: 409 },
    moto: 'deletes the policy',
    correct: 'ours',
    source:
      'IAM API Reference, DeletePolicy: "you must first detach the policy from all users, groups, and roles"; error DeleteConflict',
  },
  {
    step: 'sts AssumeRole with session policy and tags',
    path: '$.PackedPolicySize',
    aws: (v: unknown) => typeof v === 'number' && v >= 0 && v <= 100,
    moto: 6,
    correct: 'unverified',
    source:
      'STS API Reference, AssumeRole: a percentage of the packed (compressed) size limit; the packing is not documented',
  },
  {
    step: 'sts AssumeRole with session policy and tags',
    path: '$.SourceIdentity',
    aws: 'alice',
    moto: undefined,
    correct: 'ours',
    source:
      'STS API Reference, AssumeRole response: SourceIdentity echoes the source identity the caller set',
  },
  {
    step: 'sts AssumeRole DurationSeconds above the role maximum',
    path: '$',
    aws: { error: 'ValidationError', status: 400 },
    moto: 'issues credentials',
    correct: 'ours',
    source:
      "STS API Reference, AssumeRole DurationSeconds: a value above the role's maximum session duration fails",
  },
];
